"""Enterprise Support (ENT-1, ENT-3) and the entitlements page (SUP-5): designations in the
organization settings, the customer's Verify and confirm after an escalation, and what the
organization's plan includes."""

from datetime import timedelta

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import get_visible_or_404, is_fedramp, require
from hub.responses import render_htmx

from .. import access, availability, selectors
from ..choices import CHANNEL_ORDER, Channel
from ..forms import EnterpriseDesignationForm, EnterpriseVerificationForm
from ..models import EnterpriseDesignation
from ..services import (
    confirm_enterprise_verification,
    designate_enterprise_user,
    remove_enterprise_designation,
)
from .common import redirect_after_post
from .tickets import DETAIL_TEMPLATE, _detail_context, _ticket_or_404

DESIGNATIONS_TEMPLATE = "support/enterprise_designations.html"


# --- ENT-1: designations (a section of the organization settings) ---------------------------------
def designation_panel(user, form=None, *, saved=""):
    """The context of the Enterprise Support section of the organization settings, or None
    when the viewer may not manage designations. A fixed number of queries."""
    if not access.can_manage_enterprise_designations(user):
        return None
    organization = user.organization
    designees = list(selectors.enterprise_designees(organization))
    seats = selectors.enterprise_seats(organization)
    show_emails = not is_fedramp(user)  # PRO-5: no addresses in the FedRAMP environment
    return {
        "show_emails": show_emails,
        "designees": designees,
        "seats": seats,
        "seats_used": len(designees),
        "form": form or EnterpriseDesignationForm(
            candidates=selectors.enterprise_candidates(organization), show_emails=show_emails),
        "history": selectors.enterprise_designation_history(organization),
        "saved": saved,
    }


def _designations_response(request, panel, *, status=200):
    return render_htmx(request, DESIGNATIONS_TEMPLATE, {
        "current_section": "organization", "enterprise": panel, "organization": request.user.organization,
    }, partial="designations", status=status)


@require_POST
def designation_create(request):
    """A brand administrator gives a user a seat; the 6th of a package is refused at the field."""
    user = request.user
    require(access.can_manage_enterprise_designations(user))
    form = EnterpriseDesignationForm(request.POST, candidates=selectors.enterprise_candidates(user.organization),
                                     show_emails=not is_fedramp(user))
    if form.is_valid():
        try:
            designate_enterprise_user(actor=user, user=form.cleaned_data["user"])
        except ValidationError as error:
            form.add_error("user", error)
    if form.errors:
        return _designations_response(request, designation_panel(user, form), status=422)
    name = str(form.cleaned_data["user"])
    if getattr(request, "htmx", False):
        return _designations_response(request, designation_panel(
            user, saved=_("%(name)s now has Enterprise Support.") % {"name": name}))
    messages.success(request, _("%(name)s now has Enterprise Support.") % {"name": name})
    return redirect_after_post(request, "profiles:organization_settings", anchor="enterprise-support")


@require_POST
def designation_remove(request, public_id):
    user = request.user
    require(access.can_manage_enterprise_designations(user))
    designation = get_visible_or_404(
        EnterpriseDesignation.objects.active().select_related("user"), user, public_id=public_id
    )
    remove_enterprise_designation(actor=user, designation=designation)
    message = _("%(name)s no longer has Enterprise Support; the seat is free.") % {"name": designation.user}
    if getattr(request, "htmx", False):
        return _designations_response(request, designation_panel(user, saved=message))
    messages.success(request, message)
    return redirect_after_post(request, "profiles:organization_settings", anchor="enterprise-support")


# --- ENT-3: Verify and confirm ----------------------------------------------------------------------
@require_POST
@reauthentication_required
def ticket_verify(request, reference):
    """The requester re-enters their password or an MFA code (allauth re-authentication: the
    POST waits while they do and resumes after), then their choice is recorded."""
    user = request.user
    ticket = _ticket_or_404(user, reference)
    if not access.can_verify_ticket(user, ticket):
        raise PermissionDenied
    form = EnterpriseVerificationForm(request.POST)
    if form.is_valid():
        try:
            confirm_enterprise_verification(
                actor=user, ticket=ticket, allows_account_access=form.cleaned_data["allows_account_access"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        context = _detail_context(request, ticket, verification_form=form)
        return render(request, DETAIL_TEMPLATE, context, status=422)
    messages.success(request, _("Thank you. You verified your identity; Enterprise Support continues with your request."))
    return redirect_after_post(request, "support:ticket_detail", ticket.reference)


# --- SUP-5 / ENT-1: entitlements ----------------------------------------------------------------------
def _intervals_this_week(schedule, now):
    """The schedule's open intervals (UTC, merged) that open within the next seven days or are
    open now; one open now starts at `now` ("open now until …")."""
    end = now + timedelta(days=7)
    # Read a week further, so that an interval open at the end closes when it really does
    # (Enterprise hours run Sunday to Friday as one interval), not at the week's edge.
    return [(opens, closes) for opens, closes in availability.open_intervals([schedule], now, end + timedelta(days=7))
            if opens < end]


def _language_name(code):
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def _hours(schedules, channel, now):
    order = [code for code, _name in settings.LANGUAGES]
    rows = []
    for schedule in schedules:
        if schedule.channel != channel:
            continue
        rows.append({
            "name": schedule.name,
            "languages": ", ".join(
                str(_language_name(code)) for code in sorted(schedule.languages, key=lambda c: (
                    order.index(c) if c in order else len(order)))
            ),
            "always_open": schedule.always_open,
            "enterprise": schedule.enterprise,
            "intervals": [] if schedule.always_open else _intervals_this_week(schedule, now),
        })
    rows.sort(key=lambda row: (row["enterprise"], not row["always_open"], row["name"]))
    return rows


def entitlements(request):
    """What the organization's plan includes: license, Success packages, channels, Enterprise
    seats (x of 5 × packages) and each channel's hours this week in the viewer's time zone."""
    user = request.user
    require(access.can_get_support(user))
    organization = user.organization
    now = timezone.now()
    included = availability.LICENSE_CHANNELS.get(organization.license_type, frozenset())
    has_packages = access.has_success_packages(user)
    designated = access.is_enterprise_designated(user)
    schedules = [
        s for s in selectors.load_schedules(now) if not s.enterprise or has_packages
    ]
    channels = []
    for channel in CHANNEL_ORDER:
        is_included = channel in included and (channel != Channel.SCHEDULED_CALL or has_packages)
        channels.append({
            "channel": channel,
            "label": Channel(channel).label,
            "included": is_included,
            "enterprise": has_packages and channel in (Channel.EMAIL, Channel.PHONE, Channel.SCHEDULED_CALL),
            "hours": _hours(schedules, channel, now) if is_included and channel != Channel.SCHEDULED_CALL else [],
        })
    return render(request, "support/entitlements.html", {
        "current_section": "entitlements",
        "now": now,
        "organization": organization,
        "channels": channels,
        "has_packages": has_packages,
        "seats": selectors.enterprise_seats(organization),
        "seats_used": selectors.enterprise_seats_used(organization) if has_packages else 0,
        "is_designated": designated,
    })
