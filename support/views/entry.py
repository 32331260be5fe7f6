"""The way into support: Contact (SUP-1) → pre-check (SUP-2) → product area (SUP-3) → contact
methods open now (SUP-4, SUP-5)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from hub.access import is_brand_admin, is_fedramp, require

from .. import access, selectors
from ..availability import Reason
from ..choices import Channel, LicenseType
from ..forms import SupportLanguageForm
from ..templatetags.support_tags import when_opens

# Where each channel's action lives. Channels whose flow is not installed show their status only.
CHANNEL_ACTIONS = {
    Channel.CHAT: "support:chat_start",
    Channel.EMAIL: "support:email_request_create",
    Channel.PHONE: "support:callback_create",
    Channel.SCHEDULED_CALL: "support:scheduled_call_create",
}
ACTION_LABELS = {
    Channel.CHAT: (gettext_lazy("Start a chat"), gettext_lazy("Start a chat in English")),
    Channel.EMAIL: (gettext_lazy("Write to us"), gettext_lazy("Write to us in English")),
    Channel.PHONE: (gettext_lazy("Request a call"), gettext_lazy("Request a call in English")),
    Channel.SCHEDULED_CALL: (gettext_lazy("Schedule a call"), gettext_lazy("Schedule a call in English")),
}
# SUP-4: the assistant opens after choosing an area where it is installed.
ASSISTANT_URL_NAME = "support:assistant"


def _url_or_none(name, area, **query):
    try:
        url = reverse(name, kwargs={"area": area.slug})
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def contact(request):
    """SUP-1: technical support, or Account Services for those who may use it."""
    return render(request, "support/contact.html", {
        "is_customer": access.can_get_support(request.user),
        "can_request_account_services": access.can_request_account_services(request.user),
    })


def precheck(request):
    """SUP-2: does this belong with your brand administrator (standard users) or your account
    team (brand administrators)? FedRAMP users never see administrator contact details."""
    user = request.user
    require(access.can_get_support(user))
    organization = user.organization
    context = {"is_brand_admin": is_brand_admin(user), "is_fedramp": is_fedramp(user),
               "organization": organization, "support_help_url": settings.HUB_SUPPORT_HELP_URL,
               "product_url": settings.HUB_PRODUCT_URL}
    if not context["is_brand_admin"] and not context["is_fedramp"]:
        admin = organization.admin_contact
        context["admin_contact"] = {
            "name": organization.admin_contact_name or (admin.get_full_name() if admin else ""),
            "email": organization.admin_contact_email or (admin.email if admin else ""),
            "phone": organization.admin_contact_phone,
        }
    return render(request, "support/precheck.html", context)


def area_list(request):
    """SUP-3: the product areas, each with its description and picture on hover and focus."""
    require(access.can_get_support(request.user))
    return render(request, "support/area_list.html", {"areas": list(selectors.active_areas())})


def _explain(status, *, area, license_type):
    """Why a channel is not open, in words for the customer ("included with …")."""
    reason, channel = status.reason, status.channel
    if reason == Reason.NOT_IN_LICENSE:
        if license_type == LicenseType.FREE:
            return _("Not included in the Free plan.")
        if channel == Channel.SCHEDULED_CALL:
            return _("Included with Enterprise licenses that have Success packages.")
        return _("Included with Enterprise licenses.")
    if reason == Reason.NEEDS_SUCCESS_PACKAGE:
        return _("Included with Success packages.")
    if reason == Reason.NOT_FOR_AREA:
        return _("Not offered for %(area)s.") % {"area": area.display_name}
    if reason == Reason.LANGUAGE_NOT_OFFERED:
        return _("Not offered in %(language)s.") % {"language": _language_name(status.language)}
    if reason == Reason.NO_AGENT_ONLINE:
        return _("Within chat hours, but no agent is online right now.")
    if reason == Reason.OUTSIDE_HOURS and status.opens_at:
        return _("Closed now; opens %(when)s.") % {"when": when_opens(status.opens_at)}
    return _("Closed now.")


def _language_name(code):
    """The language's name in the reader's language ("German", "Deutsch", "ドイツ語")."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def _channel_rows(statuses, area, license_type):
    rows = []
    for status in statuses:
        english = status.english
        rows.append({
            "status": status,
            "label": Channel(status.channel).label,
            "action_label": ACTION_LABELS[status.channel][0],
            "english_label": ACTION_LABELS[status.channel][1],
            "note": "" if status.is_open else _explain(status, area=area, license_type=license_type),
            "action_url": _url_or_none(CHANNEL_ACTIONS[status.channel], area, language=status.language)
            if status.is_open else None,
            "english": english,
            "english_note": "" if english is None or english.is_open
            else _explain(english, area=area, license_type=license_type),
            "english_url": _url_or_none(CHANNEL_ACTIONS[status.channel], area, language=english.language)
            if english is not None and english.is_open else None,
        })
    return rows


def contact_methods(request, area):
    """SUP-4/SUP-5: the channels for this area, open now or when they open, in the user's zone;
    unavailable ones say why. Open requests in the same area come first (duplicate guard)."""
    user = request.user
    require(access.can_get_support(user))
    area = get_object_or_404(selectors.active_areas(), slug=area)
    form = SupportLanguageForm(request.GET or None)
    requested = form.cleaned_data["language"] if form.is_valid() else ""
    language = selectors.support_language_for(user, requested)
    statuses = selectors.channel_statuses(user, area, language)
    return render(request, "support/contact_methods.html", {
        "area": area,
        "language": language,
        "language_form": SupportLanguageForm(initial={"language": language}),
        "channels": _channel_rows(statuses, area, user.organization.license_type),
        "duplicates": list(selectors.open_tickets_in_area(user, area)),
        "can_contact_support": access.can_contact_support_directly(user),
        "assistant_url": _url_or_none(ASSISTANT_URL_NAME, area),
        "language_name": _language_name(language),
        "is_free": user.organization.license_type == LicenseType.FREE,
    })
