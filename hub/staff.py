"""Staff groups with least privilege (ADM-1). Each app grants its permissions to the groups in
its `AppConfig.ready()`; `sync_staff_groups()` (run after every migrate) makes the database match."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

SUPPORT_AGENTS = "Support agents"
ACCOUNT_SERVICES = "Account services"
CUSTOMER_SUCCESS = "Customer success"
GROUP_LABELS = {
    SUPPORT_AGENTS: _("Support agents"),
    ACCOUNT_SERVICES: _("Account services"),
    CUSTOMER_SUCCESS: _("Customer success"),
}

_grants: dict[str, set[str]] = defaultdict(set)


def grant(group: str, permissions: list[str] | tuple[str, ...]):
    """Give `group` the permissions named "app_label.codename"."""
    if group not in GROUP_LABELS:
        raise ValueError(f"Unknown staff group {group!r}")
    _grants[group].update(permissions)


def sync_staff_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for name in GROUP_LABELS:
        group, _created = Group.objects.get_or_create(name=name)
        wanted = _grants.get(name, set())
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
