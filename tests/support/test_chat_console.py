"""SUP-7, ADM-2: the chat console in the admin — online for chat, waiting and active chats in the
agent's queues, answer, reply (htmx and plain post), leave and close; least privilege."""

import re

import pytest
import time_machine
from django.urls import reverse

from hub import staff
from support.models import Chat, ProductArea, SupportAgent, Ticket
from support.services import claim_chat, post_chat_message, start_chat
from tests.factories import staff_member

from .test_chat_services import IN_HOURS, make_agent

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CONSOLE = reverse("admin:support_chat_console")


@pytest.fixture(autouse=True)
def _in_chat_hours():
    with time_machine.travel(IN_HOURS, tick=False):
        yield


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def chat(cast, agent):
    return start_chat(customer=cast.standard_user, area=ProductArea.objects.get(slug="surveys"), language="en",
                      message="Our quota table stopped updating.")


def room(chat, name="room"):
    return reverse(f"admin:support_chat_{name}", args=[chat.public_id])


def test_the_console_lists_waiting_chats_and_refreshes_itself(client_for, chat, agent):
    html = client_for(agent).get(CONSOLE).content.decode()
    assert "1 chat waiting" in html and chat.ticket.reference in html
    assert "Sam Rivera" in html and "Northwind Analytics" in html
    assert "You are online for chat." in html
    partial = client_for(agent).get(CONSOLE, **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="chat-queue"') and 'hx-trigger="every 5s"' in partial


def test_agents_go_offline_and_online_and_chat_closes_for_customers(client_for, cast, agent):
    client = client_for(agent)
    client.post(reverse("admin:support_chat_online"), {"online": "0"})
    assert not SupportAgent.objects.get(user=agent).is_online_for_chat
    methods = reverse("support:contact_methods", args=["surveys"])
    assert "no agent is online right now" in client_for(cast.standard_user).get(methods).content.decode()
    client = client_for(agent)
    assert "Go online for chat" in client.get(CONSOLE).content.decode()
    client.post(reverse("admin:support_chat_online"), {"online": "1"})
    assert SupportAgent.objects.get(user=agent).is_online_for_chat


def test_an_agent_answers_replies_and_the_customer_sees_it(client_for, cast, chat, agent):
    client = client_for(agent)
    assert "Answer this chat" in client.get(room(chat)).content.decode()
    assert client.post(room(chat, "claim")).status_code == 302
    chat.refresh_from_db()
    assert chat.agent == agent and chat.status == Chat.Status.ACTIVE
    html = client.get(room(chat)).content.decode()
    assert "You are answering this chat." in html and 'id="chat-form"' in html
    response = client.post(room(chat, "send"), {"message": "Which survey is it?"}, **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "chat-sent"
    response = client.post(room(chat, "send"), {"message": "  "}, **HTMX)
    assert response.status_code == 422 and "Write a message." in response.content.decode()
    assert client.post(room(chat, "send"), {"message": "Plain post works too."}).status_code == 302
    customer = client_for(cast.standard_user)
    page = customer.get(reverse("support:chat_detail", args=[chat.public_id])).content.decode()
    assert "Which survey is it?" in page and "Plain post works too." in page
    assert "Elena from Support" in page


def test_the_agent_poll_returns_only_new_messages(client_for, cast, chat, agent):
    claim_chat(actor=agent, chat=chat)
    client = client_for(agent)
    html = client.get(room(chat)).content.decode()
    cursor = int(re.search(r'id="chat-cursor" name="after" value="(\d+)"', html).group(1))
    assert client.get(room(chat, "messages"), {"after": cursor}, **HTMX).status_code == 204
    customer = client_for(cast.standard_user)
    customer.post(reverse("support:chat_send", args=[chat.public_id]), {"message": "The pulse survey."})
    client = client_for(agent)
    html = client.get(room(chat, "messages"), {"after": cursor}, **HTMX).content.decode()
    assert "The pulse survey." in html and "Our quota table" not in html and "Sam Rivera" in html


def test_leave_keeps_the_request_open_and_close_solves_it(client_for, cast, agent):
    area = ProductArea.objects.get(slug="surveys")
    first = start_chat(customer=cast.standard_user, area=area, language="en", message="One")
    claim_chat(actor=agent, chat=first)
    client_for(agent).post(room(first, "leave"), {"close": "0"})
    assert Ticket.objects.get(pk=first.ticket_id).status == Ticket.Status.OPEN
    second = start_chat(customer=cast.standard_user, area=area, language="en", message="Two")
    claim_chat(actor=agent, chat=second)
    client = client_for(agent)
    client.post(room(second, "leave"), {"close": "1"})
    assert Ticket.objects.get(pk=second.ticket_id).status == Ticket.Status.SOLVED
    html = client.get(room(second)).content.decode()
    assert "This chat has ended: Closed by the agent." in html and 'id="chat-form"' not in html


def test_a_second_agent_is_told_the_chat_is_taken(client_for, chat, agent):
    claim_chat(actor=agent, chat=chat)
    other = make_agent(first_name="Tom")
    client = client_for(other)
    response = client.post(room(chat, "claim"), follow=True)
    assert "Another agent has already answered this chat" in response.content.decode()
    assert "Elena" in client.get(room(chat)).content.decode()
    assert client.post(room(chat, "send"), {"message": "Hi"}, **HTMX).status_code == 422


def test_staff_outside_the_queue_see_no_chat(client_for, chat):
    account_services = staff_member(staff.ACCOUNT_SERVICES)
    client = client_for(account_services)
    assert chat.ticket.reference not in client.get(CONSOLE).content.decode()
    assert client.get(room(chat)).status_code == 404


def test_read_only_staff_cannot_use_the_console(client_for, chat):
    client = client_for(staff_member(staff.CUSTOMER_SUCCESS))
    assert client.get(CONSOLE).status_code == 403
    assert client.post(room(chat, "claim")).status_code == 403


def test_customers_cannot_reach_the_console(client_for, cast, chat):
    response = client_for(cast.brand_admin).get(CONSOLE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_chat_list_in_the_admin_links_to_the_console(client_for, chat, agent):
    html = client_for(agent).get(reverse("admin:support_chat_changelist")).content.decode()
    assert CONSOLE in html and chat.ticket.reference in html


def test_the_console_and_room_keep_their_query_count_with_more_chats_and_messages(
    client_for, cast, chat, agent, count_queries
):
    client = client_for(agent)
    claim_chat(actor=agent, chat=chat)
    one_console = count_queries(lambda: client.get(CONSOLE))
    one_room = count_queries(lambda: client.get(room(chat)))
    for index in range(19):
        post_chat_message(actor=agent, chat=chat, body=f"Message {index}")
    start_chat(customer=cast.brand_admin, area=ProductArea.objects.get(slug="surveys"), language="en", message="Hi")
    assert count_queries(lambda: client.get(CONSOLE)) == one_console
    assert count_queries(lambda: client.get(room(chat))) == one_room
