"""SUP-7 services: a chat opens a ticket only while chat is open; messages, claim, leave, close,
the customer ending it, and chat hours ending it — all kept on the ticket's timeline."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hub import staff
from hub.staff import sync_staff_groups
from support import selectors
from support.models import Chat, ProductArea, SupportAgent, Ticket, TicketEvent
from support.services import (
    claim_chat,
    end_chat_as_customer,
    end_closed_chats,
    leave_chat,
    post_chat_message,
    set_chat_online,
    start_chat,
)
from tests.factories import StaffUserFactory, assistant_conversation

pytestmark = pytest.mark.django_db

# Tuesday 2026-11-24 18:00 UTC = 11:00 in Denver: inside chat hours (07:00–16:30 MT).
IN_HOURS = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
# The same day 23:31 UTC = 16:31 in Denver: chat hours are over.
AFTER_HOURS = datetime(2026, 11, 24, 23, 31, tzinfo=UTC)


def make_agent(*, online=True, languages=("en",), first_name="Elena"):
    sync_staff_groups()
    user = StaffUserFactory(first_name=first_name)
    user.groups.add(Group.objects.get(name=staff.SUPPORT_AGENTS))
    SupportAgent.objects.create(user=user, languages=list(languages), is_online_for_chat=online)
    return user


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def surveys(db):
    return ProductArea.objects.get(slug="surveys")


@pytest.fixture
def chat(cast, agent, surveys):
    with time_machine.travel(IN_HOURS, tick=False):
        return start_chat(customer=cast.standard_user, area=surveys, language="en",
                          message="Our quota table stopped updating.\nSince yesterday.")


def transcript(chat):
    return list(selectors.chat_messages(chat))


def test_starting_a_chat_opens_a_chat_ticket_with_the_first_message(chat, cast):
    ticket = chat.ticket
    assert chat.status == Chat.Status.WAITING and chat.customer == cast.standard_user
    assert ticket.channel == "chat" and ticket.requester == cast.standard_user
    assert ticket.subject == "Our quota table stopped updating."
    assert ticket.queue == "technical" and ticket.language == "en"
    [first] = transcript(chat)
    assert first.body.startswith("Our quota table") and first.author == cast.standard_user
    assert first.kind == TicketEvent.Kind.CHAT_MESSAGE
    assert mail.outbox == []  # the customer is in the chat; no confirmation email


@time_machine.travel(IN_HOURS, tick=False)
def test_a_second_start_returns_the_unfinished_chat(chat, cast, surveys):
    again = start_chat(customer=cast.standard_user, area=surveys, language="en", message="Hello?")
    assert again.pk == chat.pk
    assert Ticket.objects.filter(channel="chat").count() == 1


@time_machine.travel(IN_HOURS, tick=False)
def test_no_chat_without_an_agent_online(cast, surveys):
    make_agent(online=False)
    with pytest.raises(ValidationError) as error:
        start_chat(customer=cast.standard_user, area=surveys, language="en", message="Hi")
    assert error.value.code == "chat_closed"
    assert not Ticket.objects.exists()


@time_machine.travel(AFTER_HOURS, tick=False)
def test_no_chat_after_hours_even_with_an_agent_online(cast, agent, surveys):
    with pytest.raises(ValidationError):
        start_chat(customer=cast.standard_user, area=surveys, language="en", message="Hi")


@time_machine.travel(IN_HOURS, tick=False)
def test_spanish_chat_only_for_the_survey_area_and_with_a_spanish_agent(cast, surveys):
    make_agent(languages=("en",))
    with pytest.raises(ValidationError):
        start_chat(customer=cast.standard_user, area=surveys, language="es", message="Hola")
    make_agent(languages=("es",), first_name="Lucía")
    assert start_chat(customer=cast.standard_user, area=surveys, language="es", message="Hola").language == "es"
    with pytest.raises(ValidationError):
        start_chat(customer=cast.brand_admin, area=ProductArea.objects.get(slug="sso"), language="es",
                   message="Hola")


@time_machine.travel(IN_HOURS, tick=False)
def test_free_accounts_have_no_chat(cast, agent, surveys):
    with pytest.raises(PermissionDenied):
        start_chat(customer=cast.free_user, area=surveys, language="en", message="Hi")


def test_empty_and_overlong_messages_are_refused(chat, cast):
    with pytest.raises(ValidationError):
        post_chat_message(actor=cast.standard_user, chat=chat, body="   ")
    with pytest.raises(ValidationError):
        post_chat_message(actor=cast.standard_user, chat=chat, body="x" * 2001)


def test_an_agent_claims_answers_and_the_cursor_returns_only_new_messages(chat, cast, agent):
    [first] = transcript(chat)
    claim_chat(actor=agent, chat=chat)
    chat.refresh_from_db()
    assert chat.status == Chat.Status.ACTIVE and chat.agent == agent
    ticket = Ticket.objects.get(pk=chat.ticket_id)
    assert ticket.assignee == agent and ticket.status == Ticket.Status.OPEN
    reply = post_chat_message(actor=agent, chat=chat, body="Which survey is it?")
    answer = post_chat_message(actor=cast.standard_user, chat=chat, body="The employee pulse survey.")
    new = list(selectors.chat_messages(chat, after=first.pk))
    assert [e.data.get("notice") for e in new] == ["joined", None, None]
    assert [e.pk for e in new[1:]] == [reply.pk, answer.pk]
    assert list(selectors.chat_messages(chat, after=answer.pk)) == []
    assert reply.via == "admin" and answer.via == "web"


def test_a_second_agent_cannot_claim_or_write(chat, agent):
    claim_chat(actor=agent, chat=chat)
    other = make_agent(first_name="Tom")
    with pytest.raises(ValidationError):
        claim_chat(actor=other, chat=chat)
    with pytest.raises(PermissionDenied):
        post_chat_message(actor=other, chat=chat, body="Hi")
    with pytest.raises(PermissionDenied):
        leave_chat(actor=other, chat=chat)


def test_colleagues_and_outsiders_cannot_write_in_a_customers_chat(chat, cast):
    for someone in (cast.brand_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            post_chat_message(actor=someone, chat=chat, body="Hi")
        with pytest.raises(PermissionDenied):
            end_chat_as_customer(actor=someone, chat=chat)


def test_staff_outside_the_queue_cannot_claim(chat):
    sync_staff_groups()
    account_services = StaffUserFactory()
    account_services.groups.add(Group.objects.get(name=staff.ACCOUNT_SERVICES))
    with pytest.raises(PermissionDenied):
        claim_chat(actor=account_services, chat=chat)


def test_the_agent_leaving_ends_the_chat_and_keeps_the_ticket_open(chat, cast, agent):
    claim_chat(actor=agent, chat=chat)
    leave_chat(actor=agent, chat=chat)
    chat.refresh_from_db()
    assert chat.status == Chat.Status.ENDED and chat.end_reason == Chat.EndReason.AGENT_LEFT
    assert Ticket.objects.get(pk=chat.ticket_id).status == Ticket.Status.OPEN
    with pytest.raises(ValidationError):
        post_chat_message(actor=cast.standard_user, chat=chat, body="Still there?")
    assert transcript(chat)[-1].data["notice"] == "agent_left"


def test_closing_solves_the_ticket_and_emails_the_customer_once(
    chat, cast, agent, django_capture_on_commit_callbacks
):
    claim_chat(actor=agent, chat=chat)
    with django_capture_on_commit_callbacks(execute=True):
        leave_chat(actor=agent, chat=chat, close=True)
        leave_chat(actor=agent, chat=chat, close=True)
    ticket = Ticket.objects.get(pk=chat.ticket_id)
    assert ticket.status == Ticket.Status.SOLVED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast.standard_user.email]
    # The customer can start a new chat now; the transcript stays on the ticket.
    with time_machine.travel(IN_HOURS, tick=False):
        new = start_chat(customer=cast.standard_user, area=chat.product_area, language="en", message="Another one")
    assert new.pk != chat.pk
    assert ticket.events.filter(kind="chat_message").count() == 3


def test_the_customer_ends_the_chat_once(chat, cast):
    end_chat_as_customer(actor=cast.standard_user, chat=chat)
    end_chat_as_customer(actor=cast.standard_user, chat=chat)
    assert [e.data.get("notice") for e in transcript(chat)] == [None, "customer_ended"]


def test_chats_end_when_chat_hours_end_and_a_rerun_ends_nothing(chat, cast, agent, surveys):
    claim_chat(actor=agent, chat=chat)
    with time_machine.travel(datetime(2026, 11, 24, 23, 29, tzinfo=UTC), tick=False):
        assert end_closed_chats() == 0  # 16:29 in Denver: still open
    with time_machine.travel(AFTER_HOURS, tick=False):
        assert end_closed_chats(batch_size=1) == 1
        assert end_closed_chats() == 0
    chat.refresh_from_db()
    assert chat.end_reason == Chat.EndReason.HOURS_ENDED
    assert transcript(chat)[-1].data["notice"] == "hours_ended"


def test_agents_go_online_and_offline_and_others_cannot(agent, cast):
    set_chat_online(actor=agent, online=False)
    assert not SupportAgent.objects.get(user=agent).is_online_for_chat
    set_chat_online(actor=agent, online=True)
    assert SupportAgent.objects.get(user=agent).is_online_for_chat
    with pytest.raises(PermissionDenied):
        set_chat_online(actor=cast.brand_admin, online=True)
    sync_staff_groups()
    not_set_up = StaffUserFactory()
    not_set_up.groups.add(Group.objects.get(name=staff.SUPPORT_AGENTS))
    with pytest.raises(ValidationError):
        set_chat_online(actor=not_set_up, online=True)


def test_only_the_customer_sees_their_chat(chat, cast):
    assert list(Chat.objects.visible_to(cast.standard_user)) == [chat]
    assert not Chat.objects.visible_to(cast.brand_admin).exists()
    assert not Chat.objects.visible_to(cast.outsider).exists()


@time_machine.travel(IN_HOURS, tick=False)
def test_a_chat_can_continue_an_open_request_which_reopens_if_it_waited_for_the_customer(cast, agent, surveys):
    from tests.factories import TicketFactory

    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.AWAITING_CUSTOMER)
    chat = start_chat(customer=cast.standard_user, area=surveys, language="en", message="About this one",
                      ticket=ticket)
    assert chat.ticket_id == ticket.pk and Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    [first] = transcript(chat)
    assert first.from_status == Ticket.Status.AWAITING_CUSTOMER and first.to_status == Ticket.Status.OPEN


@time_machine.travel(IN_HOURS, tick=False)
def test_a_chat_cannot_continue_someone_elses_or_a_solved_request(cast, agent, surveys):
    from tests.factories import TicketFactory

    colleagues = TicketFactory(requester=cast.brand_admin)
    solved = TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED)
    for ticket in (colleagues, solved):
        with pytest.raises(ValidationError):
            start_chat(customer=cast.standard_user, area=surveys, language="en", message="Hi", ticket=ticket)
    assert not Chat.objects.exists()


def test_a_waiting_chat_ends_when_no_agent_is_left_online_but_a_chat_in_progress_goes_on(chat, cast, agent, surveys):
    with time_machine.travel(IN_HOURS, tick=False):
        answered = start_chat(customer=cast.brand_admin, area=surveys, language="en", message="Hello")
    claim_chat(actor=agent, chat=answered)
    set_chat_online(actor=agent, online=False)
    with time_machine.travel(datetime(2026, 11, 24, 18, 4, tzinfo=UTC), tick=False):
        assert end_closed_chats() == 0  # a short gap is tolerated
    with time_machine.travel(datetime(2026, 11, 24, 18, 6, tzinfo=UTC), tick=False):
        assert end_closed_chats() == 1
    chat.refresh_from_db()
    answered.refresh_from_db()
    assert chat.end_reason == Chat.EndReason.NO_AGENT and transcript(chat)[-1].data["notice"] == "no_agent"
    assert answered.status == Chat.Status.ACTIVE


@time_machine.travel(IN_HOURS, tick=False)
def test_a_chat_after_the_assistant_carries_the_conversation_into_its_ticket(cast, agent, surveys):
    conversation = assistant_conversation(cast.standard_user)
    chat = start_chat(customer=cast.standard_user, area=surveys, language="en", message="Still stuck.",
                      conversation=conversation)
    assert chat.ticket.description.startswith("Still stuck.")
    assert "Question: Why do quota counts stop updating?" in chat.ticket.description
    conversation.refresh_from_db()
    assert conversation.ticket == chat.ticket and conversation.outcome == "escalated"
