"""New requests: the email form of technical support (SUP-5, SUP-6) and the Account Services
intake (SUP-12). Both are rate-limited per user and per IP."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hub.access import require
from hub.responses import render_htmx

from .. import access, ratelimit, selectors
from ..availability import Reason
from ..choices import Channel
from ..forms import AccountServicesRequestForm, EmailRequestForm
from ..services import create_ticket, submit_account_services_request
from ..templatetags.support_tags import when_opens
from .common import assistant_conversation, redirect_after_post, refuse_rate_limited


def email_request_create(request, area):
    """The email channel: subject, description, language and attachments → a ticket."""
    user = request.user
    require(access.can_contact_support_directly(user))
    area = get_object_or_404(selectors.active_areas(), slug=area)
    require(Channel.EMAIL in area.channels)
    language = selectors.support_language_for(user, request.GET.get("language", ""))
    conversation = assistant_conversation(request, area)
    form = EmailRequestForm(request.POST or None, request.FILES or None, initial={"language": language})
    context = {"area": area, "form": form, "duplicates": list(selectors.open_tickets_in_area(user, area)),
               "conversation": conversation}
    template = "support/email_request_form.html"
    if request.method != "POST":
        return render_htmx(request, template, context, partial="request_form")
    if form.is_valid():
        status = selectors.email_status(user, area, form.cleaned_data["language"])
        if not status.is_open:
            form.add_error("language", _email_closed_message(status))
    if not form.is_valid():
        return render_htmx(request, template, context, partial="request_form", status=422)
    wait = ratelimit.consume(request, "create_ticket")
    if wait:
        return refuse_rate_limited(request, form, template, context, wait, partial="request_form")
    data = form.cleaned_data
    ticket = create_ticket(
        requester=user, subject=data["subject"], description=data["description"], channel=Channel.EMAIL,
        language=data["language"], product_area=area, attachments=data["attachments"],
        conversation=conversation,  # AST-3: the assistant conversation that led here
    )
    messages.success(request, _("Thank you. We received your request %(reference)s and emailed you a confirmation.")
                     % {"reference": ticket.reference})
    return redirect_after_post(request, "support:ticket_detail", ticket.reference)


def _email_closed_message(status):
    if status.reason == Reason.OUTSIDE_HOURS and status.opens_at:
        return _("Email support in this language is closed now; it opens %(when)s. You can write in English at any time.") % {
            "when": when_opens(status.opens_at)
        }
    if status.reason == Reason.NOT_IN_LICENSE:
        return _("Your license does not include email support.")
    return _("Email support is not offered in this language. Please choose English.")


def account_services_create(request):
    """SUP-12: billing or payment, vendor and security forms, SMS onboarding and credit, product or
    feature access, license requests → a ticket in the Account Services queue."""
    user = request.user
    require(access.can_request_account_services(user))
    form = AccountServicesRequestForm(request.POST or None)
    context = {"form": form}
    template = "support/account_services_form.html"
    if request.method != "POST":
        return render_htmx(request, template, context, partial="request_form")
    if not form.is_valid():
        return render_htmx(request, template, context, partial="request_form", status=422)
    wait = ratelimit.consume(request, "create_ticket")
    if wait:
        return refuse_rate_limited(request, form, template, context, wait, partial="request_form")
    data = form.cleaned_data
    ticket = submit_account_services_request(
        requester=user, category=data["category"], subject=data["subject"], message=data["message"],
        source="support",
    )
    messages.success(request, _("Thank you. Account Services received your request %(reference)s.")
                     % {"reference": ticket.reference})
    return redirect_after_post(request, "support:ticket_detail", ticket.reference)

