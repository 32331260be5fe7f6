"""Live chat (SUP-7): start a chat (it opens a ticket), exchange messages, an agent claims it,
leaves or closes it, the customer ends it, or chat hours end it. Every message and every change
is a "chat message" event on the ticket, so the transcript stays on the ticket's timeline."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, availability, selectors
from ..choices import Channel
from ..models import Chat, ProductArea, SupportAgent, Ticket, TicketEvent
from .staff import _require_staff, change_ticket_status
from .tickets import create_ticket

MAX_MESSAGE_LENGTH = 2000
SUBJECT_LENGTH = 80
# A waiting chat ends when no agent has been online for its language and area this long.
NO_AGENT_GRACE = timedelta(minutes=5)


class Notice:
    """What a chat message without an author announces (rendered in the reader's language)."""

    JOINED = "joined"


class ChatEnded(ValidationError):
    def __init__(self):
        super().__init__(_("This chat has ended. You can continue on your request by email or ask for a call."),
                         code="chat_ended")


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."), code="empty_message")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Keep a chat message under %(limit)d characters.") % {"limit": MAX_MESSAGE_LENGTH}, code="too_long"
        )
    return body


def _event(chat, *, author=None, body="", via=TicketEvent.Via.WEB, now=None, **data):
    return TicketEvent.objects.create(
        ticket_id=chat.ticket_id, kind=TicketEvent.Kind.CHAT_MESSAGE, via=via, author=author, body=body,
        data={"chat": str(chat.public_id), **data}, created_at=now or timezone.now(),
    )


def _subject(message: str) -> str:
    first_line = message.splitlines()[0].strip()
    if len(first_line) > SUBJECT_LENGTH:
        first_line = first_line[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return first_line


def _continue_ticket(ticket: Ticket, customer, now) -> tuple[Ticket, str]:
    """The chat continues one of the customer's open requests: it is reopened if it waited for
    them. Returns the ticket and the status it had."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.requester_id != customer.pk or not ticket.is_unresolved:
        raise ValidationError(_("Choose one of your open requests, or ask a new question."), code="invalid_ticket")
    before = ticket.status
    fields = ["last_activity_at"]
    ticket.last_activity_at = now
    if ticket.status == Ticket.Status.AWAITING_CUSTOMER:
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    return ticket, before


def start_chat(
    *, customer, area: ProductArea, language: str, message: str, ticket: Ticket | None = None,
    now: datetime | None = None, conversation=None,
) -> Chat:
    """The customer asks their first question: a ticket (channel chat) — or, when they say it is
    about one of their open requests, that ticket — and a waiting chat. Only while chat is open for
    them, the area and the language (hours and an agent online, SUP-5). A customer with an
    unfinished chat gets that one back: one conversation at a time."""
    if not access.can_contact_support_directly(customer):
        raise PermissionDenied("Chat is not included for this account.")
    message = _clean_body(message)
    existing = Chat.objects.filter(customer=customer).unfinished().first()
    if existing is not None:
        return existing
    status = selectors.chat_status(customer, area, language, now=now)
    if not status.is_open:
        raise ValidationError(_("Chat is not available right now. You can write to us or ask for a call."),
                              code="chat_closed")
    try:
        with transaction.atomic():
            before = ""
            if ticket is None:
                ticket = create_ticket(
                    requester=customer, subject=_subject(message), description=message, channel=Channel.CHAT,
                    language=language, product_area=area, notify=False, conversation=conversation,
                )
                started = ticket.created_at
            else:
                started = timezone.now()
                ticket, before = _continue_ticket(ticket, customer, started)
            chat = Chat.objects.create(
                ticket=ticket, organization_id=customer.organization_id, customer=customer, product_area=area,
                language=language, started_at=started,
            )
            event = _event(chat, author=customer, body=message, now=started)
            if before and before != ticket.status:
                event.from_status, event.to_status = before, ticket.status
                event.save(update_fields=["from_status", "to_status"])
    except IntegrityError:
        # Two "Start chat" posts raced: the other one won; its chat is the conversation.
        existing = Chat.objects.filter(customer=customer).unfinished().first()
        if existing is None:
            raise
        return existing
    return chat


def _locked(chat) -> Chat:
    return Chat.objects.select_for_update().select_related("ticket").get(pk=chat.pk)


def _is_agent_of(actor, chat) -> bool:
    return chat.agent_id is not None and chat.agent_id == actor.pk


def post_chat_message(*, actor, chat: Chat, body: str) -> TicketEvent:
    """A message from the chat's customer or from the agent who answers it."""
    body = _clean_body(body)
    with transaction.atomic():
        chat = _locked(chat)
        if actor.pk == chat.customer_id:
            via = TicketEvent.Via.WEB
        elif actor.is_staff and _is_agent_of(actor, chat):
            _require_staff(actor, chat.ticket)
            via = TicketEvent.Via.ADMIN
        else:
            raise PermissionDenied("Only the customer and the agent who answers may write in this chat.")
        if chat.is_finished:
            raise ChatEnded()
        now = timezone.now()
        event = _event(chat, author=actor, body=body, via=via, now=now)
        Ticket.objects.filter(pk=chat.ticket_id).update(last_activity_at=now)
    return event


def claim_chat(*, actor, chat: Chat) -> Chat:
    """An agent answers a waiting chat; the ticket becomes theirs and open. Two agents clicking at
    once: the row lock lets one win, the other is told."""
    with transaction.atomic():
        chat = _locked(chat)
        _require_staff(actor, chat.ticket)
        if not chat.is_waiting:
            if _is_agent_of(actor, chat) and not chat.is_finished:
                return chat
            raise ValidationError(_("Another agent has already answered this chat, or it has ended."),
                                  code="already_claimed")
        now = timezone.now()
        chat.status, chat.agent, chat.claimed_at = Chat.Status.ACTIVE, actor, now
        chat.save(update_fields=["status", "agent", "claimed_at"])
        ticket = chat.ticket
        fields = ["last_activity_at"]
        ticket.last_activity_at = now
        if ticket.assignee_id is None:
            ticket.assignee = actor
            fields.append("assignee")
        if ticket.status == Ticket.Status.NEW:
            ticket.status = Ticket.Status.OPEN
            fields.append("status")
        ticket.save(update_fields=fields)
        _event(chat, via=TicketEvent.Via.ADMIN, now=now, notice=Notice.JOINED, agent=actor.first_name or "")
    return chat


def _finish(chat, reason, now, via):
    chat.status, chat.end_reason, chat.ended_at = Chat.Status.ENDED, reason, now
    chat.save(update_fields=["status", "end_reason", "ended_at"])
    _event(chat, via=via, now=now, notice=reason)


def end_chat_as_customer(*, actor, chat: Chat) -> Chat:
    """The customer ends the conversation. Ending twice does nothing."""
    with transaction.atomic():
        chat = _locked(chat)
        if actor.pk != chat.customer_id:
            raise PermissionDenied("Only the customer can end their chat.")
        if not chat.is_finished:
            _finish(chat, Chat.EndReason.CUSTOMER_ENDED, timezone.now(), TicketEvent.Via.WEB)
    return chat


def leave_chat(*, actor, chat: Chat, close: bool = False) -> Chat:
    """The agent leaves (the ticket stays open for a follow-up by email) or closes the chat (the
    question is answered: the ticket is solved and the customer is emailed, so they can reply to
    reopen it). Either way the customer is offered email or a call back."""
    with transaction.atomic():
        chat = _locked(chat)
        _require_staff(actor, chat.ticket)
        if not _is_agent_of(actor, chat):
            raise PermissionDenied("Only the agent who answers this chat can leave or close it.")
        if chat.is_finished:
            return chat
        now = timezone.now()
        _finish(chat, Chat.EndReason.AGENT_CLOSED if close else Chat.EndReason.AGENT_LEFT, now,
                TicketEvent.Via.ADMIN)
        ticket = chat.ticket
        if close and ticket.status not in (Ticket.Status.CLOSED, Ticket.Status.VERIFICATION_REQUIRED):
            change_ticket_status(actor=actor, ticket=ticket, status=Ticket.Status.SOLVED)
    return chat


def end_closed_chats(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """Beat, every minute: unfinished chats whose language's chat hours are over end, and so do
    chats still waiting after `NO_AGENT_GRACE` while no agent is online for their language and
    area any more; the customer is offered email or a call back. Bounded batches by primary key; a
    chat already ended is skipped, so a rerun (or two workers) ends nothing twice."""
    now = now or timezone.now()
    schedules = [s for s in selectors.load_schedules(now) if s.channel == Channel.CHAT and not s.enterprise]
    hours_open: dict[str, bool] = {}
    online: dict[int, frozenset[str]] = {}
    ended = 0
    last_pk = 0
    while True:
        rows = list(
            Chat.objects.unfinished().filter(pk__gt=last_pk).select_related("product_area").order_by("pk")[:batch_size]
        )
        if not rows:
            return ended
        for row in rows:
            if row.language not in hours_open:
                in_language = [s for s in schedules if row.language in s.languages]
                hours_open[row.language] = availability.opening(in_language, now).is_open
            reason = None
            if not hours_open[row.language]:
                reason = Chat.EndReason.HOURS_ENDED
            elif row.is_waiting and row.started_at <= now - NO_AGENT_GRACE:
                if row.product_area_id not in online:
                    online[row.product_area_id] = selectors.chat_languages_online(row.product_area)
                if row.language not in online[row.product_area_id]:
                    reason = Chat.EndReason.NO_AGENT
            if reason is None:
                continue
            with transaction.atomic():
                chat = Chat.objects.select_for_update().filter(pk=row.pk, status__in=Chat.UNFINISHED).first()
                if chat is not None:
                    _finish(chat, reason, now, TicketEvent.Via.SYSTEM)
                    ended += 1
        last_pk = rows[-1].pk


def set_chat_online(*, actor, online: bool) -> SupportAgent:
    """An agent goes online for chat (chat opens for their languages and areas) or offline.
    Their chats in progress stay theirs."""
    if not (actor.is_active and actor.is_staff and actor.has_perm("support.reply_ticket")):
        raise PermissionDenied("You may not answer chats.")
    with transaction.atomic():
        agent = SupportAgent.objects.select_for_update().filter(user=actor).first()
        if agent is None:
            raise ValidationError(_("You are not set up as a support agent yet. Ask an administrator to add you."),
                                  code="not_an_agent")
        if agent.is_online_for_chat != online:
            agent.is_online_for_chat, agent.online_changed_at = online, timezone.now()
            agent.save(update_fields=["is_online_for_chat", "online_changed_at"])
    return agent
