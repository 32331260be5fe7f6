"""Emails about tickets, to the requester in their language (HTML + text), with the ticket's
signed Reply-To so that replying adds to the ticket. Queued inside the caller's transaction;
each is keyed by the event it announces, so a retried action never emails twice."""

from django.conf import settings
from django.urls import reverse

from hub.notifications import queue_email

from .. import calendar
from ..replies import reply_address


def _language(ticket):
    return ticket.requester.language or ticket.language


def _context(ticket, **extra):
    return {
        "ticket": ticket,
        "ticket_url": settings.HUB_PUBLIC_URL + reverse("support:ticket_detail", args=[ticket.reference]),
        **extra,
    }


def _send(ticket, *, template, key, attachments=(), **context):
    requester = ticket.requester
    if not requester.email or not requester.is_active:
        return None
    return queue_email(
        to_email=requester.email,
        template=template,
        context=_context(ticket, **context),
        user=requester,
        organization=ticket.organization,
        language=_language(ticket),
        reply_to=reply_address(ticket),
        idempotency_key=key,
        attachments=attachments,
    )


def send_ticket_created(ticket, event):
    """The confirmation: what we received, the reference, and that replying adds to it."""
    return _send(ticket, template="support_ticket_created", key=f"support:created:{event.public_id}", event=event)


def send_agent_reply(ticket, event):
    return _send(ticket, template="support_ticket_reply", key=f"support:reply:{event.public_id}", event=event)


def send_status_changed(ticket, event):
    return _send(ticket, template="support_ticket_status", key=f"support:status:{event.public_id}", event=event)


def send_account_services_notice(ticket):
    """Account Services' team inbox hears of every new request, in English (they work in
    English); replying from the inbox writes to the customer directly."""
    return queue_email(
        to_email=settings.HUB_ACCOUNT_SERVICES_EMAIL,
        template="account_services_ticket_new",
        context={"ticket": ticket, "requester": ticket.requester,
                 "admin_url": settings.HUB_PUBLIC_URL + reverse("admin:support_ticket_change", args=[ticket.pk])},
        organization=ticket.organization,
        language="en",
        reply_to=ticket.requester.email,
        idempotency_key=f"support:account-services:{ticket.public_id}",
    )


def send_callback_requested(callback, *, position, wait):
    """CB-4: the callback's confirmation — number, place in the queue, estimated wait — to the
    address given on the form, with the ticket's Reply-To, so replying adds to the request."""
    ticket = callback.ticket
    requester = ticket.requester
    return queue_email(
        to_email=callback.email,
        template="support_callback_requested",
        context=_context(ticket, callback=callback, position=position, wait=wait),
        user=requester,
        organization=ticket.organization,
        language=_language(ticket),
        reply_to=reply_address(ticket),
        idempotency_key=f"support:callback:{callback.public_id}",
    )


def send_scheduled_call(call, *, action: str):
    """SCH-1: booked, rescheduled or cancelled, with the calendar invite attached, in the booker's
    language and time zone; its Reply-To adds replies to the call's ticket."""
    ticket = call.ticket
    method = calendar.CANCEL if action == "cancelled" else calendar.REQUEST
    return _send(
        ticket, template="support_scheduled_call", key=f"support:scheduled-call:{call.public_id}:{call.sequence}:{action}",
        attachments=[calendar.attachment(call, method=method, language=_language(ticket))],
        call=call, action=action, minutes=call.minutes,
        call_url=settings.HUB_PUBLIC_URL + reverse("support:scheduled_call_detail", args=[call.public_id]),
    )
