"""Who may see what, asked in one place. Views, menus, templates and tests call these helpers;
nobody re-derives a rule.

Customer-owned models expose `visible_to(user)` on their queryset; views fetch one object with
`get_visible_or_404`. Not visible is a 404 — the same answer for "missing" and "someone else's".
"""

from functools import wraps

from django.db import models
from django.http import Http404


def per_request(rule):
    """Memoize an access rule on the user object. `request.user` lives for one request, so a rule
    asked by the menu, the view and the template costs one query, not three."""
    key = f"{rule.__module__}.{rule.__qualname__}"

    @wraps(rule)
    def wrapper(user, *args):
        if not getattr(user, "is_authenticated", False):
            return rule(user, *args)
        memo = user.__dict__.setdefault("_hub_access_memo", {})
        if (key, args) not in memo:
            memo[(key, args)] = rule(user, *args)
        return memo[(key, args)]

    return wrapper


def forget_access(user):
    """Drop memoized rules after a write in the same request changed what the user may see."""
    user.__dict__.pop("_hub_access_memo", None)


def is_customer(user):
    return bool(getattr(user, "is_authenticated", False) and user.organization_id)


def is_brand_admin(user):
    return is_customer(user) and user.is_brand_admin


def is_fedramp(user):
    return is_customer(user) and user.organization.is_fedramp


def license_type(user):
    return user.organization.license_type if is_customer(user) else None


def get_visible_or_404(model_or_queryset, user, **lookup):
    """One object the user may see, or 404. `model_or_queryset` has a `visible_to(user)`."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


class OrganizationQuerySet(models.QuerySet):
    """Base for customer-owned rows that carry an `organization` directly."""

    organization_field = "organization"

    def visible_to(self, user):
        if not is_customer(user):
            return self.none()
        return self.filter(**{self.organization_field: user.organization_id})


def require(condition):
    """Raise 404 unless the access rule holds: a section the user may not see does not exist."""
    if not condition:
        raise Http404
