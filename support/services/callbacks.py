"""Callback writes (CB-4): the customer's request, its cancellation and "call me again" after a
missed call, and the agent's "call started", "completed"
and "no answer" from the console. Each is one transaction; the agent's actions lock the callback
(two agents may pick the same one) and land on the ticket's timeline."""

import math
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import callbacks as queue
from ..access import can_request_callback, staff_queues
from ..choices import Channel
from ..models import Callback, ProductArea, Ticket, TicketEvent
from . import emails
from .staff import _apply_status
from .tickets import TicketClosed, create_ticket, mark_ticket_solved


def request_callback(
    *,
    requester,
    product_area: ProductArea,
    language: str,
    country: str,
    phone,
    extension: str,
    email: str,
    subject: str,
    can_access_account: bool,
    consents_to_recording: bool,
    submission_key: uuid.UUID,
    conversation=None,
) -> tuple[Callback, bool]:
    """Queue a callback with its ticket and email the confirmation. The form's `submission_key`
    makes it idempotent: a second submit (double click, reload, back and submit again) returns the
    first callback and `False`. The subject becomes the ticket's description (CB-1)."""
    if not can_request_callback(requester):
        raise PermissionDenied("This account's license does not include phone support.")
    if not product_area.offers_phone:
        raise ValidationError(_("Phone support is not offered for this product area."), code="no_phone")
    existing = Callback.objects.filter(requester=requester, submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    estimate = queue.wait_estimates(product_area, [language])[language]
    subject = subject.strip()
    try:
        with transaction.atomic():
            ticket = create_ticket(
                requester=requester, subject=subject, description=subject, channel=Channel.PHONE,
                language=language, product_area=product_area, notify=False, conversation=conversation,
            )
            callback = Callback.objects.create(
                ticket=ticket, organization_id=requester.organization_id, requester=requester,
                product_area=product_area, language=language, country=country, phone=phone,
                extension=extension, email=email, subject=subject, can_access_account=can_access_account,
                consents_to_recording=consents_to_recording, submission_key=submission_key,
                estimated_wait_seconds=round(estimate.seconds) if estimate.is_known else None,
                requested_at=ticket.created_at,
            )
            emails.send_callback_requested(callback, position=queue.queue_position(callback), wait=estimate)
    except IntegrityError:
        # The same submission raced us (two clicks, two requests): theirs committed first.
        existing = Callback.objects.filter(requester=requester, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return callback, True


def cancel_callback(*, actor, callback: Callback) -> Callback:
    """The requester no longer needs the call while it still waits: it leaves the queue and the
    request is solved (a reply opens it again). Cancelling twice does nothing more; once support
    has dialled, it is too late and the customer is told so."""
    if actor.pk != callback.requester_id:
        raise PermissionDenied("Only the customer who asked for the call can cancel it.")
    with transaction.atomic():
        callback = _locked(callback)
        if callback.status == Callback.Status.CANCELLED:
            return callback
        if callback.status != Callback.Status.QUEUED:
            raise ValidationError(
                _("Support has already called you, so this call request can no longer be cancelled."),
                code="not_waiting",
            )
        mark_ticket_solved(actor=actor, ticket=callback.ticket)
    callback.refresh_from_db()
    return callback


def request_callback_again(*, actor, callback: Callback, estimate=None) -> Callback:
    """Support called and nobody answered: the requester asks for another call. The same call
    request goes back in the queue behind those waiting now (it is a new arrival), and the request
    opens again. Asking twice (a double click) queues it once. The caller checks that phone
    support is open for the callback's language; `estimate` is the wait shown from now on."""
    if actor.pk != callback.requester_id:
        raise PermissionDenied("Only the customer who asked for the call can ask again.")
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        if callback.status == Callback.Status.QUEUED:
            return callback
        if callback.status != Callback.Status.NO_ANSWER:
            raise ValidationError(_("This call request is not waiting for another call."), code="not_missed")
        ticket = Ticket.objects.select_for_update().get(pk=callback.ticket_id)
        if ticket.is_closed:
            raise TicketClosed()
        callback.status, callback.requested_at = Callback.Status.QUEUED, now
        callback.started_at = callback.ended_at = callback.agent = None
        if estimate is not None:
            callback.estimated_wait_seconds = round(estimate.seconds) if estimate.is_known else None
        callback.save(update_fields=["status", "requested_at", "started_at", "ended_at", "agent",
                                     "estimated_wait_seconds"])
        event = TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.CALLBACK, author=actor, data={"action": "requeued"},
            created_at=now,
        )
        fields = ["last_activity_at"]
        ticket.last_activity_at = now
        if ticket.status in (Ticket.Status.AWAITING_CUSTOMER, Ticket.Status.SOLVED):
            event.from_status, event.to_status = ticket.status, Ticket.Status.OPEN
            event.save(update_fields=["from_status", "to_status"])
            fields += _apply_status(ticket, Ticket.Status.OPEN, now)
        ticket.save(update_fields=fields)
    return callback


def _require_agent(actor, callback):
    if not (actor.is_active and actor.is_staff and actor.has_perm("support.change_callback")):
        raise PermissionDenied("You may not work on callbacks.")
    if callback.ticket.queue not in staff_queues(actor):
        raise PermissionDenied("This callback is in a queue you do not work.")


def _locked(callback):
    return Callback.objects.select_for_update().select_related("ticket", "ticket__requester").get(pk=callback.pk)


def _event(ticket, actor, action, now, **data):
    return TicketEvent.objects.create(
        ticket=ticket, kind=TicketEvent.Kind.CALLBACK, via=TicketEvent.Via.ADMIN, author=actor,
        data={"action": action, **data}, created_at=now,
    )


def start_callback(*, actor, callback: Callback) -> TicketEvent:
    """The agent dials: the callback leaves the queue, the ticket opens and is theirs."""
    _require_agent(actor, callback)
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        if callback.status != Callback.Status.QUEUED:
            raise ValidationError(_("This callback is no longer waiting."), code="not_waiting")
        callback.status, callback.started_at, callback.agent = Callback.Status.IN_PROGRESS, now, actor
        callback.save(update_fields=["status", "started_at", "agent"])
        ticket = callback.ticket
        event = _event(ticket, actor, "started", now)
        fields = ["last_activity_at"]
        ticket.last_activity_at = now
        if ticket.assignee_id is None:
            ticket.assignee = actor
            fields.append("assignee")
        if ticket.status == Ticket.Status.NEW:
            event.from_status, event.to_status = ticket.status, Ticket.Status.OPEN
            event.save(update_fields=["from_status", "to_status"])
            fields += _apply_status(ticket, Ticket.Status.OPEN, now)
        ticket.save(update_fields=fields)
    return event


def complete_callback(*, actor, callback: Callback) -> TicketEvent:
    """The call ended after a conversation; its length feeds the average handle time (CB-2)."""
    _require_agent(actor, callback)
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        if callback.status != Callback.Status.IN_PROGRESS:
            raise ValidationError(_("Start the call before completing it."), code="not_started")
        callback.status, callback.ended_at = Callback.Status.COMPLETED, now
        callback.save(update_fields=["status", "ended_at"])
        ticket = callback.ticket
        seconds = round((now - callback.started_at).total_seconds())
        event = _event(ticket, actor, "completed", now, duration_seconds=seconds,
                       duration_minutes=max(1, math.ceil(seconds / 60)))
        ticket.last_activity_at = now
        ticket.save(update_fields=["last_activity_at"])
    return event


def mark_callback_no_answer(*, actor, callback: Callback) -> TicketEvent:
    """Nobody picked up: the callback leaves the queue and the ticket waits for the customer,
    who is emailed (they can reply, or request another call)."""
    _require_agent(actor, callback)
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        if callback.status not in Callback.ACTIVE:
            raise ValidationError(_("This callback is already finished."), code="finished")
        callback.status, callback.ended_at = Callback.Status.NO_ANSWER, now
        callback.agent = callback.agent or actor
        callback.save(update_fields=["status", "ended_at", "agent"])
        ticket = callback.ticket
        event = _event(ticket, actor, "no_answer", now)
        fields = ["last_activity_at"]
        ticket.last_activity_at = now
        if ticket.status not in (Ticket.Status.AWAITING_CUSTOMER, Ticket.Status.VERIFICATION_REQUIRED):
            event.from_status, event.to_status = ticket.status, Ticket.Status.AWAITING_CUSTOMER
            event.save(update_fields=["from_status", "to_status"])
            fields += _apply_status(ticket, Ticket.Status.AWAITING_CUSTOMER, now)
        ticket.save(update_fields=fields)
        if event.to_status:
            emails.send_status_changed(ticket, event)
    return event
