"""Customer-side ticket writes (SUP-6): create, reply, mark solved. Each is one transaction that
locks the ticket where two people (or a person and an inbound email) can race, writes a timeline
event and a history row, and queues the emails on commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.access import is_customer

from ..choices import ENGLISH, Channel, Queue
from ..models import Callback, EnterpriseHandover, ProductArea, Ticket, TicketAttachment, TicketEvent
from . import emails
from .assistant import link_conversation_to_ticket, with_transcript
from .enterprise import Routing, route_request


class TicketClosed(ValidationError):
    def __init__(self):
        super().__init__(
            _("This request is closed. Please open a new request; you can mention this one's reference."),
            code="ticket_closed",
        )


def store_attachments(ticket, event, files, uploaded_by):
    for checked in files:
        attachment = TicketAttachment(
            ticket=ticket, event=event, name=checked.name, content_type=checked.content_type,
            size=checked.size, uploaded_by=uploaded_by,
        )
        attachment.file.save(checked.name, checked.file, save=False)
        attachment.save()


def queue_for(*, product_area: ProductArea | None, category: str = "") -> str:
    """Where a new request goes: Account Services for intake categories, else the area's queue."""
    if category:
        return Queue.ACCOUNT_SERVICES
    return product_area.queue if product_area is not None else Queue.TECHNICAL


def create_ticket(
    *,
    requester,
    subject: str,
    description: str,
    channel: str,
    language: str,
    product_area: ProductArea | None = None,
    attachments=(),
    category: str = "",
    source: str = Ticket.Source.SUPPORT,
    contract_number: str = "",
    queue: str | None = None,
    is_enterprise: bool | None = None,
    via: str = TicketEvent.Via.WEB,
    notify: bool = True,
    conversation=None,
) -> Ticket:
    """Open a ticket for the signed-in account (SUP-6: support is given for that account only)
    and email the requester a confirmation they can reply to. `attachments` are already checked
    (`support.attachments.check_files`). Every contact method ends here; `conversation`, the
    asker's conversation with the assistant that led here (AST-3), goes into the description and
    is linked to the ticket."""
    if not is_customer(requester):
        raise PermissionDenied("Only customer accounts can open support requests.")
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    now = timezone.now()
    # ENT-2: a designated user's email or phone request goes to Enterprise Support in its hours.
    routing = route_request(requester=requester, channel=channel, product_area=product_area,
                            language=language or ENGLISH, now=now) if not category else Routing()
    if is_enterprise is None:
        is_enterprise = routing.is_enterprise
    with transaction.atomic():
        ticket = Ticket.objects.create(
            organization_id=requester.organization_id,
            requester=requester,
            product_area=product_area,
            channel=channel,
            queue=queue or routing.queue or queue_for(product_area=product_area, category=category),
            language=language or ENGLISH,
            subject=subject.strip(),
            description=with_transcript(description, conversation).strip(),
            category=category,
            source=source,
            contract_number=contract_number,
            is_enterprise=is_enterprise,
            created_at=now,
            last_activity_at=now,
        )
        event = TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.CREATED, via=via, author=requester,
            body=ticket.description, to_status=ticket.status, created_at=now,
        )
        store_attachments(ticket, event, attachments, requester)
        if conversation is not None:
            link_conversation_to_ticket(actor=requester, conversation=conversation, ticket=ticket)
        if routing.hand_over_later and queue is None:
            EnterpriseHandover.objects.create(ticket=ticket, flagged_at=now)
        if notify:
            emails.send_ticket_created(ticket, event)
    return ticket


def _require_requester(actor, ticket):
    # Support is given for the signed-in account only: a brand admin may read a colleague's
    # ticket, not write into it.
    if actor.pk != ticket.requester_id:
        raise PermissionDenied("Only the requester can change this request.")


def add_customer_reply(*, actor, ticket: Ticket, body: str, attachments=(), via=TicketEvent.Via.WEB) -> TicketEvent:
    """The requester adds to their ticket (from the hub or by replying to an email). A reply to a
    ticket that waits for them, or that was solved, opens it again; closed tickets take no more."""
    _require_requester(actor, ticket)
    body = body.strip()
    if not body and not attachments:
        raise ValidationError(_("Write a message or attach a file."), code="empty_reply")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.is_closed:
            raise TicketClosed()
        event = TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.CUSTOMER_REPLY, via=via, author=actor, body=body, created_at=now,
        )
        store_attachments(ticket, event, attachments, actor)
        fields = ["last_activity_at"]
        ticket.last_activity_at = now
        if ticket.status in (Ticket.Status.AWAITING_CUSTOMER, Ticket.Status.SOLVED):
            event.from_status, event.to_status = ticket.status, Ticket.Status.OPEN
            event.save(update_fields=["from_status", "to_status"])
            ticket.status, ticket.solved_at = Ticket.Status.OPEN, None
            fields += ["status", "solved_at"]
        ticket.save(update_fields=fields)
    return event


def mark_ticket_solved(*, actor, ticket: Ticket) -> Ticket:
    """The requester says their issue is solved (no email: they did it themselves). A call back
    still waiting for this request is withdrawn, so nobody phones about a solved issue."""
    _require_requester(actor, ticket)
    now = timezone.now()
    with transaction.atomic():
        # The callback before the ticket: the order in which the agent's console locks them.
        waiting = list(
            Callback.objects.select_for_update().filter(ticket_id=ticket.pk, status=Callback.Status.QUEUED)
        )
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        for callback in waiting:
            callback.status, callback.ended_at = Callback.Status.CANCELLED, now
            callback.save(update_fields=["status", "ended_at"])
            TicketEvent.objects.create(
                ticket=ticket, kind=TicketEvent.Kind.CALLBACK, author=actor, data={"action": "cancelled"},
                created_at=now,
            )
        if ticket.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
            return ticket
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.STATUS_CHANGED, author=actor,
            from_status=ticket.status, to_status=Ticket.Status.SOLVED, created_at=now,
        )
        ticket.status, ticket.solved_at, ticket.last_activity_at = Ticket.Status.SOLVED, now, now
        ticket.save(update_fields=["status", "solved_at", "last_activity_at"])
    return ticket
