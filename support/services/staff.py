"""Staff-side ticket writes (ADM-2): reply, change status, assign, triage. The admin's actions
and forms call these; each re-checks the actor's permission and the queues their groups work,
records a timeline event, and emails the requester what they should know."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import staff_queues
from ..choices import Queue
from ..models import ProductArea, Ticket, TicketEvent
from . import emails
from .enterprise import refuse_while_unverified
from .tickets import store_attachments

# Status an agent may set by hand. "Verification required" comes from escalation (ENT-3) only.
AGENT_STATUSES = (
    Ticket.Status.OPEN, Ticket.Status.AWAITING_CUSTOMER, Ticket.Status.SOLVED, Ticket.Status.CLOSED,
)


def _require_staff(actor, ticket, permission="support.reply_ticket"):
    if not (actor.is_active and actor.is_staff and actor.has_perm(permission)):
        raise PermissionDenied("You may not work on tickets.")
    if ticket.queue not in staff_queues(actor):
        raise PermissionDenied("This ticket is in a queue you do not work.")


def _apply_status(ticket, status, now):
    """Set the status and its timestamps; returns the fields changed."""
    ticket.status = status
    fields = ["status"]
    if status == Ticket.Status.SOLVED:
        ticket.solved_at = now
        fields.append("solved_at")
    elif status == Ticket.Status.CLOSED:
        ticket.closed_at = now
        ticket.solved_at = ticket.solved_at or now
        fields += ["closed_at", "solved_at"]
    else:
        ticket.solved_at = None
        fields.append("solved_at")
    return fields


def reply_as_agent(
    *, actor, ticket: Ticket, body: str, status: str = Ticket.Status.AWAITING_CUSTOMER, is_internal: bool = False,
    attachments=(),
) -> TicketEvent:
    """An agent answers (emailed to the requester, with the new status) or leaves an internal note
    (staff only, nothing sent, status unchanged)."""
    _require_staff(actor, ticket)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message."), code="empty_reply")
    if not is_internal and status not in AGENT_STATUSES:
        raise ValidationError(_("Choose a valid status."), code="invalid_status")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)
        if ticket.status == Ticket.Status.VERIFICATION_REQUIRED and not is_internal:
            raise ValidationError(
                _("The customer has not verified this request yet; only internal notes are possible."),
                code="verification_required",
            )
        kind = TicketEvent.Kind.INTERNAL_NOTE if is_internal else TicketEvent.Kind.AGENT_REPLY
        event = TicketEvent.objects.create(
            ticket=ticket, kind=kind, via=TicketEvent.Via.ADMIN, author=actor, body=body,
            is_internal=is_internal, created_at=now,
        )
        store_attachments(ticket, event, attachments, actor)
        fields = []
        if ticket.assignee_id is None:
            ticket.assignee = actor
            fields.append("assignee")
        if not is_internal:
            if status != ticket.status:
                event.from_status, event.to_status = ticket.status, status
                event.save(update_fields=["from_status", "to_status"])
                fields += _apply_status(ticket, status, now)
            ticket.last_activity_at = now
            fields.append("last_activity_at")
            emails.send_agent_reply(ticket, event)
        if fields:
            ticket.save(update_fields=fields)
    return event


def change_ticket_status(*, actor, ticket: Ticket, status: str, note: str = "") -> TicketEvent | None:
    """A status action from the queue: recorded on the timeline and emailed to the requester.
    Setting the status a ticket already has does nothing."""
    _require_staff(actor, ticket)
    if status not in AGENT_STATUSES:
        raise ValidationError(_("Choose a valid status."), code="invalid_status")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)
        if ticket.status == status:
            return None
        refuse_while_unverified(ticket)
        event = TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.STATUS_CHANGED, via=TicketEvent.Via.ADMIN, author=actor,
            body=note.strip(), from_status=ticket.status, to_status=status, created_at=now,
        )
        fields = _apply_status(ticket, status, now)
        ticket.last_activity_at = now
        ticket.save(update_fields=[*fields, "last_activity_at"])
        emails.send_status_changed(ticket, event)
    return event


def assign_ticket(*, actor, ticket: Ticket, assignee) -> TicketEvent | None:
    """"Assign to me" and reassignment; staff-only timeline entry."""
    _require_staff(actor, ticket)
    refuse_while_unverified(ticket)
    if assignee is not None and not assignee.is_staff:
        raise ValidationError(_("Tickets can only be assigned to staff."), code="invalid_assignee")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        refuse_while_unverified(ticket)
        if ticket.assignee_id == (assignee.pk if assignee else None):
            return None
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee"])
        return TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.ASSIGNED, via=TicketEvent.Via.ADMIN, author=actor,
            is_internal=True, data={"assignee": str(assignee) if assignee else ""},
        )


def update_ticket_triage(
    *, actor, ticket: Ticket, priority: str, queue: str, product_area: ProductArea | None
) -> list[TicketEvent]:
    """Priority, queue and product area as staff correct them; a staff-only timeline entry each."""
    _require_staff(actor, ticket)
    if queue not in Queue.values or priority not in Ticket.Priority.values:
        raise ValidationError(_("Choose a valid queue and priority."), code="invalid_triage")
    if queue not in staff_queues(actor):
        raise PermissionDenied("You cannot move tickets to a queue you do not work.")
    events = []
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        refuse_while_unverified(ticket)
        changes = {}
        for field, value in (("priority", priority), ("queue", queue), ("product_area", product_area)):
            before = getattr(ticket, field)
            if before != value:
                changes[field] = (str(before or ""), str(value or ""))
                setattr(ticket, field, value)
        if changes:
            ticket.save(update_fields=list(changes))
            events.append(TicketEvent.objects.create(
                ticket=ticket, kind=TicketEvent.Kind.ROUTED, via=TicketEvent.Via.ADMIN, author=actor,
                is_internal=True, data={field: {"from": old, "to": new} for field, (old, new) in changes.items()},
            ))
    return events


def close_solved_tickets(*, older_than, batch_size: int = 500) -> int:
    """Beat, daily: solved tickets nobody reopened within the grace period are closed, and the
    requester is told. Bounded batches by primary key; a rerun finds nothing left to do."""
    cutoff = timezone.now() - older_than
    closed = 0
    last_pk = 0
    while True:
        ids = list(
            Ticket.objects.filter(status=Ticket.Status.SOLVED, solved_at__lt=cutoff, pk__gt=last_pk)
            .order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return closed
        for pk in ids:
            now = timezone.now()
            with transaction.atomic():
                ticket = (
                    Ticket.objects.select_for_update().select_related("requester")
                    .filter(pk=pk, status=Ticket.Status.SOLVED).first()
                )
                if ticket is None:
                    continue
                event = TicketEvent.objects.create(
                    ticket=ticket, kind=TicketEvent.Kind.STATUS_CHANGED, via=TicketEvent.Via.SYSTEM,
                    from_status=ticket.status, to_status=Ticket.Status.CLOSED, created_at=now,
                )
                ticket.status, ticket.closed_at = Ticket.Status.CLOSED, now
                ticket.save(update_fields=["status", "closed_at"])
                emails.send_status_changed(ticket, event)
                closed += 1
        last_pk = ids[-1]
