"""Scheduled calls' writes (SCH-1): book, reschedule, cancel.

Double booking is refused by the database: the exclusion constraint on booked calls (agent, time
range) fails a conflicting insert or update, whatever the application checked before. Two
transactions writing the same agent's calls at once would each wait for the other's uncommitted
row (PostgreSQL resolves that as a deadlock, not as a violation), so a write first takes the
agent's transaction-scoped advisory lock: the second writer waits for the first to end and then
meets its committed row as a plain violation. The service tries the free agents in turn, each
inside a savepoint, and reports `SlotTaken` when none is left. Each action writes a timeline event
on the call's ticket and queues one email with the calendar invite, keyed so that a repeated
action emails nothing more."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scheduling, slots
from ..choices import Channel
from ..models import ProductArea, ScheduledCall, Ticket, TicketEvent
from . import emails
from .tickets import create_ticket

NO_OVERLAP = "support_call_agent_no_overlap"
REQUEST_ONCE = "support_call_request_once"


class SlotTaken(ValidationError):
    def __init__(self):
        super().__init__(
            _("Sorry, this time was booked by someone else a moment ago. Please choose another time."),
            code="slot_taken",
        )


class CallNotChangeable(ValidationError):
    def __init__(self):
        super().__init__(
            _("This call has already started or was cancelled, so it can no longer be changed."),
            code="call_not_changeable",
        )


AGENT_CALLS_LOCK = 0x5C4ED  # first key of the (class, agent id) advisory lock pair


def _lock_agents_calls(agent_ids) -> None:
    """Serialize writers of these agents' calls until the end of the transaction. The locks are
    taken in id order, so writers with overlapping candidates queue up instead of waiting on each other."""
    with connection.cursor() as cursor:
        for agent_id in sorted(agent_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [AGENT_CALLS_LOCK, agent_id])


def _constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


def free_agent_ids(area: ProductArea, language: str, starts_at: datetime, *, now=None, ignore=None) -> list[int]:
    """The agents free for the slot starting at `starts_at`, the least busy first (ties by id);
    empty when the time is not a bookable slot at all (off the grid, too soon, too far ahead)."""
    now = now or timezone.now()
    rule = scheduling.rules()
    start, end = slots.booking_window(now, lead=rule.lead, days_ahead=rule.days_ahead, length=rule.length)
    if not slots.on_grid(starts_at, rule.length) or starts_at < start or starts_at + rule.length > end:
        return []
    found = [slot for slot in scheduling.free_slots(area, language, now=now, ignore=ignore)
             if slot.starts_at == starts_at]
    if not found:
        return []
    agent_ids = list(found[0].agent_ids)
    load = dict(
        ScheduledCall.objects.upcoming(now).filter(agent_id__in=agent_ids)
        .values("agent_id").annotate(calls=Count("pk")).values_list("agent_id", "calls")
    )
    preferred = ignore.agent_id if ignore is not None else None
    return sorted(agent_ids, key=lambda agent_id: (agent_id != preferred, load.get(agent_id, 0), agent_id))


def _event(call, *, actor, action, previous: datetime | None = None, via=TicketEvent.Via.WEB):
    data = {"action": action, "starts_at": call.starts_at.isoformat(), "ends_at": call.ends_at.isoformat()}
    if previous is not None:
        data["previous_starts_at"] = previous.isoformat()
    now = timezone.now()
    event = TicketEvent.objects.create(
        ticket=call.ticket, kind=TicketEvent.Kind.SCHEDULED_CALL, via=via, author=actor, data=data, created_at=now,
    )
    Ticket.objects.filter(pk=call.ticket_id).update(last_activity_at=now)
    return event


def _assign(call):
    """The call's agent owns its ticket (saved, not updated, so the ticket's history records it)."""
    ticket = call.ticket
    if ticket.assignee_id != call.agent.user_id:
        ticket.assignee_id = call.agent.user_id
        ticket.save(update_fields=["assignee"])


def book_scheduled_call(
    *, actor, area: ProductArea, language: str, starts_at: datetime, subject: str, description: str,
    request_token, now: datetime | None = None, conversation=None,
) -> ScheduledCall:
    """Book the slot starting at `starts_at` with a free agent, open the call's ticket (assigned
    to that agent) and email the invite. The same `request_token` (a form submitted twice) returns
    the first booking. Raises `SlotTaken` when no agent is free for that slot any more."""
    if not scheduling.can_book(actor, area, language):
        raise PermissionDenied("Scheduled calls are not offered to this user for this area.")
    existing = ScheduledCall.objects.filter(requester=actor, request_token=request_token).first()
    if existing is not None:
        return existing
    candidates = free_agent_ids(area, language, starts_at, now=now)
    if not candidates:
        raise SlotTaken()
    length = scheduling.rules().length
    try:
        with transaction.atomic():
            ticket = create_ticket(
                requester=actor, subject=subject, description=description, channel=Channel.SCHEDULED_CALL,
                language=language, product_area=area, notify=False, conversation=conversation,
            )
            call = None
            _lock_agents_calls(candidates)
            for agent_id in candidates:
                try:
                    with transaction.atomic():
                        call = ScheduledCall.objects.create(
                            ticket=ticket, organization_id=actor.organization_id, requester=actor,
                            product_area=area, agent_id=agent_id, language=language, starts_at=starts_at,
                            ends_at=starts_at + length, request_token=request_token,
                        )
                    break
                except IntegrityError as error:
                    if _constraint(error) != NO_OVERLAP:
                        raise
            if call is None:
                raise SlotTaken()
            call = ScheduledCall.objects.select_related("ticket", "requester", "product_area", "agent").get(pk=call.pk)
            _assign(call)
            _event(call, actor=actor, action="booked")
            emails.send_scheduled_call(call, action="booked")
    except IntegrityError as error:
        if _constraint(error) != REQUEST_ONCE:
            raise
        # The same form, submitted twice at once: the other submit booked it.
        return ScheduledCall.objects.get(requester=actor, request_token=request_token)
    return call


def _locked(call) -> ScheduledCall:
    return (
        ScheduledCall.objects.select_for_update(of=("self",))
        .select_related("ticket", "requester", "product_area", "agent").get(pk=call.pk)
    )


def reschedule_scheduled_call(*, actor, call: ScheduledCall, starts_at: datetime, now=None) -> ScheduledCall:
    """Move the booker's call to another free slot: the old time is free again at once, the same
    invite (UID) is sent again with the next SEQUENCE. Moving it to the time it already has does
    nothing. The current agent keeps the call when free; otherwise another free agent takes it."""
    if actor.pk != call.requester_id:
        raise PermissionDenied("Only the customer who booked the call can move it.")
    now = now or timezone.now()
    with transaction.atomic():
        call = _locked(call)
        if not call.is_changeable(now):
            raise CallNotChangeable()
        if call.starts_at == starts_at:
            return call
        if not scheduling.can_book(actor, call.product_area, call.language):
            raise PermissionDenied("Scheduled calls are not offered to this user for this area.")
        candidates = free_agent_ids(call.product_area, call.language, starts_at, now=now, ignore=call)
        previous, length = call.starts_at, scheduling.rules().length
        moved = False
        _lock_agents_calls(candidates)
        for agent_id in candidates:
            call.agent_id, call.starts_at, call.ends_at = agent_id, starts_at, starts_at + length
            call.sequence += 1
            call.updated_at = now
            try:
                with transaction.atomic():
                    call.save(update_fields=["agent", "starts_at", "ends_at", "sequence", "updated_at"])
                moved = True
                break
            except IntegrityError as error:
                call.sequence -= 1
                if _constraint(error) != NO_OVERLAP:
                    raise
        if not moved:
            raise SlotTaken()
        call = _locked(call)
        _assign(call)
        _event(call, actor=actor, action="rescheduled", previous=previous)
        emails.send_scheduled_call(call, action="rescheduled")
    return call


def can_cancel_as_staff(actor) -> bool:
    return bool(actor.is_active and actor.is_staff and actor.has_perm("support.change_scheduledcall"))


def cancel_scheduled_call(*, actor, call: ScheduledCall, now=None) -> ScheduledCall:
    """Cancel a booked call (its booker, or staff allowed to change calls): the slot is free
    again, the ticket records it, the booker gets the METHOD:CANCEL invite. Cancelling again
    does nothing."""
    is_staff = can_cancel_as_staff(actor)
    if actor.pk != call.requester_id and not is_staff:
        raise PermissionDenied("Only the customer who booked the call, or support staff, can cancel it.")
    now = now or timezone.now()
    with transaction.atomic():
        call = _locked(call)
        if call.status == ScheduledCall.Status.CANCELLED:
            return call
        if not call.is_changeable(now):
            raise CallNotChangeable()
        call.status, call.cancelled_at, call.updated_at = ScheduledCall.Status.CANCELLED, now, now
        call.sequence += 1
        call.save(update_fields=["status", "cancelled_at", "updated_at", "sequence"])
        _event(call, actor=actor, action="cancelled",
               via=TicketEvent.Via.ADMIN if actor.pk != call.requester_id else TicketEvent.Via.WEB)
        emails.send_scheduled_call(call, action="cancelled")
    return call
