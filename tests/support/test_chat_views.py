"""SUP-7 in the hub: the chat button on the contact methods, starting a chat, the chat window with
its polling cursor and its no-JavaScript form, the end of a chat offering email or a call; only
the chat's customer sees it; query budgets at 1 and 20 messages."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from support.models import Chat, ProductArea, Ticket
from support.services import claim_chat, leave_chat, post_chat_message, start_chat
from tests.factories import StaffUserFactory, TicketFactory

from .test_chat_services import IN_HOURS, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_chat_hours():
    with time_machine.travel(IN_HOURS, tick=False):
        yield
HTMX = {"HTTP_HX_REQUEST": "true"}


def start_url(slug="surveys", **query):
    url = reverse("support:chat_start", args=[slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def chat_url(chat, name="chat_detail"):
    return reverse(f"support:{name}", args=[chat.public_id])


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def chat(cast, agent):
    return start_chat(customer=cast.standard_user, area=ProductArea.objects.get(slug="surveys"), language="en",
                      message="Our quota table stopped updating.")


def test_the_contact_methods_offer_a_chat_while_an_agent_is_online(client_for, cast, agent):
    html = client_for(cast.standard_user).get(reverse("support:contact_methods", args=["surveys"])).content.decode()
    assert f'href="{start_url(language="en")}"' in html and "Start a chat" in html


def test_starting_a_chat_creates_the_ticket_and_opens_the_chat_window(client_for, cast, agent):
    client = client_for(cast.standard_user)
    page = client.get(start_url(language="en"))
    assert page.status_code == 200 and "Start the chat" in page.content.decode()
    response = client.post(start_url(), {"language": "en", "message": "Our quota table stopped updating."})
    chat = Chat.objects.get()
    assert response.status_code == 302 and response["Location"] == chat_url(chat)
    assert chat.ticket.channel == "chat" and chat.ticket.requester == cast.standard_user
    html = client.get(chat_url(chat)).content.decode()
    assert "Our quota table stopped updating." in html
    assert "Waiting for an agent" in html
    assert 'hx-trigger="every 2s, chat-sent from:body"' in html
    # Going back to Start chat returns to the chat in progress.
    assert client.get(start_url())["Location"] == chat_url(chat)


def test_htmx_start_redirects_with_hx_redirect(client_for, cast, agent):
    response = client_for(cast.standard_user).post(start_url(), {"language": "en", "message": "Hi"}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == chat_url(Chat.objects.get())


def test_an_empty_first_message_is_refused_at_the_field(client_for, cast, agent):
    response = client_for(cast.standard_user).post(start_url(), {"language": "en", "message": "  "}, **HTMX)
    assert response.status_code == 422
    assert "Write a message." in response.content.decode()
    assert not Chat.objects.exists() and not Ticket.objects.exists()


def test_without_an_agent_online_the_page_says_why_and_points_elsewhere(client_for, cast):
    make_agent(online=False)
    client = client_for(cast.standard_user)
    html = client.get(start_url()).content.decode()
    assert "Chat is not available right now" in html
    assert "no agent is online right now" in html
    assert "Start the chat" not in html
    response = client.post(start_url(), {"language": "en", "message": "Hello"})
    assert response.status_code == 422 and not Chat.objects.exists()


def test_after_hours_the_page_says_when_chat_opens(client_for, cast, agent):
    with time_machine.travel(datetime(2026, 11, 24, 23, 40, tzinfo=UTC), tick=False):
        html = client_for(cast.standard_user).get(start_url()).content.decode()
    assert "Closed now; opens" in html and "Start the chat" not in html


@pytest.mark.parametrize("persona", ["free_user"])
def test_free_accounts_get_404(client_for, cast, agent, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(start_url()).status_code == 404
    assert client.post(start_url(), {"language": "en", "message": "Hi"}).status_code == 404


def test_staff_and_areas_without_chat_get_404(client_for, cast, agent):
    assert client_for(StaffUserFactory()).get(start_url()).status_code == 404
    assert client_for(cast.standard_user).get(start_url("xm-discover")).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "brand_admin", "free_user"])
@pytest.mark.parametrize("name", ["chat_detail", "chat_messages"])
def test_only_the_chats_customer_sees_it(client_for, cast, chat, persona, name):
    assert client_for(getattr(cast, persona)).get(chat_url(chat, name), **HTMX).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "brand_admin"])
def test_nobody_else_can_write_in_or_end_the_chat(client_for, cast, chat, persona):
    client = client_for(getattr(cast, persona))
    assert client.post(chat_url(chat, "chat_send"), {"message": "Hi"}).status_code == 404
    assert client.post(chat_url(chat, "chat_end")).status_code == 404
    chat.refresh_from_db()
    assert chat.status == Chat.Status.WAITING


def test_staff_get_404_on_the_customer_chat_window(client_for, chat, agent):
    assert client_for(agent).get(chat_url(chat)).status_code == 404


def cursor_of(html):
    return int(re.search(r'id="chat-cursor" name="after" value="(\d+)"', html).group(1))


def test_the_poll_returns_only_new_messages_and_204_when_nothing_is_new(client_for, cast, chat, agent):
    client = client_for(cast.standard_user)
    cursor = cursor_of(client.get(chat_url(chat)).content.decode())
    nothing = client.get(chat_url(chat, "chat_messages"), {"after": cursor}, **HTMX)
    assert nothing.status_code == 204
    claim_chat(actor=agent, chat=chat)
    post_chat_message(actor=agent, chat=chat, body="Which survey is it?")
    response = client.get(chat_url(chat, "chat_messages"), {"after": cursor}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#chat-log"' in html
    assert "Elena from Support joined the chat." in html and "Which survey is it?" in html
    assert "Our quota table" not in html  # already on the page
    assert "You are chatting with Elena from Support." in html
    assert cursor_of(html) > cursor
    assert client.get(chat_url(chat, "chat_messages"), {"after": cursor_of(html)}, **HTMX).status_code == 204


def test_the_poll_without_htmx_goes_to_the_chat_page(client_for, cast, chat):
    response = client_for(cast.standard_user).get(chat_url(chat, "chat_messages"), {"after": "0"})
    assert response.status_code == 302 and response["Location"] == chat_url(chat)


def test_sending_without_javascript_posts_and_comes_back_to_the_chat(client_for, cast, chat):
    client = client_for(cast.standard_user)
    response = client.post(chat_url(chat, "chat_send"), {"message": "It is the pulse survey."})
    assert response.status_code == 302 and response["Location"] == chat_url(chat) + "#chat-latest"
    assert "It is the pulse survey." in client.get(chat_url(chat)).content.decode()


def test_sending_with_htmx_returns_a_fresh_form_and_triggers_the_poll(client_for, cast, chat):
    response = client_for(cast.standard_user).post(chat_url(chat, "chat_send"), {"message": "Hi"}, **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "chat-sent"
    html = response.content.decode()
    assert 'id="chat-form"' in html and "autofocus" in html and "<html" not in html


def test_an_empty_message_is_refused_and_kept(client_for, cast, chat):
    response = client_for(cast.standard_user).post(chat_url(chat, "chat_send"), {"message": " "}, **HTMX)
    assert response.status_code == 422 and "Write a message." in response.content.decode()
    long = "x" * 2001
    response = client_for(cast.standard_user).post(chat_url(chat, "chat_send"), {"message": long}, **HTMX)
    assert response.status_code == 422 and long in response.content.decode()


def test_when_the_agent_leaves_the_customer_is_offered_email_or_a_call(client_for, cast, chat, agent):
    client = client_for(cast.standard_user)
    cursor = cursor_of(client.get(chat_url(chat)).content.decode())
    claim_chat(actor=agent, chat=chat)
    leave_chat(actor=agent, chat=chat)
    html = client.get(chat_url(chat, "chat_messages"), {"after": cursor}, **HTMX).content.decode()
    assert "The agent left the chat." in html
    assert '<div id="chat-poll" hx-swap-oob="true"></div>' in html  # polling stops
    assert "Continue by email" in html
    assert f'{reverse("support:ticket_detail", args=[chat.ticket.reference])}#reply' in html
    assert f'{reverse("support:contact_methods", args=["surveys"])}?language=en' in html
    page = client.get(chat_url(chat)).content.decode()
    assert "Ask for a call back" in page and 'id="chat-form"' not in page and "every 2s" not in page
    # Writing into an ended chat explains it.
    response = client.post(chat_url(chat, "chat_send"), {"message": "Hello?"}, **HTMX)
    assert response.status_code == 422 and "This chat has ended." in response.content.decode()


def test_the_customer_ends_the_chat(client_for, cast, chat):
    client = client_for(cast.standard_user)
    response = client.post(chat_url(chat, "chat_end"))
    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.end_reason == Chat.EndReason.CUSTOMER_ENDED
    assert "You ended the chat." in client.get(chat_url(chat)).content.decode()


def test_the_transcript_is_on_the_ticket_for_the_customer(client_for, cast, chat, agent):
    claim_chat(actor=agent, chat=chat)
    post_chat_message(actor=agent, chat=chat, body="Which survey is it?")
    leave_chat(actor=agent, chat=chat, close=True)
    html = client_for(cast.standard_user).get(
        reverse("support:ticket_detail", args=[chat.ticket.reference])).content.decode()
    assert "Our quota table stopped updating." in html and "Which survey is it?" in html
    assert "Elena from Support joined the chat." in html and "The agent closed the chat." in html


def add_messages(chat, cast, agent, count):
    if chat.is_waiting:
        claim_chat(actor=agent, chat=chat)
        chat.refresh_from_db()
    for index in range(count):
        post_chat_message(actor=cast.standard_user if index % 2 else agent, chat=chat, body=f"Message {index}")


@pytest.mark.parametrize("name", ["chat_detail", "chat_messages"])
def test_the_chat_window_and_the_poll_stay_within_the_query_budget_at_1_and_20_messages(
    client_for, cast, chat, agent, count_queries, name
):
    client = client_for(cast.standard_user)
    query = {"after": "0"}
    one = count_queries(lambda: client.get(chat_url(chat, name), query, **HTMX if name == "chat_messages" else {}))
    add_messages(chat, cast, agent, 19)
    twenty = count_queries(lambda: client.get(chat_url(chat, name), query, **HTMX if name == "chat_messages" else {}))
    assert one <= 12 and one == twenty


def test_sending_stays_within_the_query_budget(client_for, cast, chat, count_queries):
    client = client_for(cast.standard_user)
    assert count_queries(lambda: client.post(chat_url(chat, "chat_send"), {"message": "Hi"}, **HTMX)) <= 12


def test_the_chat_window_is_translated(client_for, cast, chat):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    html = client_for(cast.standard_user).get(chat_url(chat)).content.decode()
    assert 'lang="de"' in html
    assert "Mit dem Support chatten" in html and "Wir suchen einen Mitarbeiter für Sie." in html


def test_the_start_form_offers_the_customers_open_requests_in_the_area(client_for, cast, agent):
    from tests.factories import TicketFactory

    mine = TicketFactory(requester=cast.standard_user, subject="Survey links expire")
    colleagues = TicketFactory(requester=cast.brand_admin, subject="Colleague's request")
    client = client_for(cast.standard_user)
    html = client.get(start_url()).content.decode()
    assert "Is this about one of your open requests?" in html
    assert f'value="{mine.reference}"' in html and colleagues.reference not in html
    response = client.post(start_url(), {"language": "en", "message": "Hi", "ticket": colleagues.reference}, **HTMX)
    assert response.status_code == 422 and not Chat.objects.exists()
    response = client.post(start_url(), {"language": "en", "message": "Still expiring", "ticket": mine.reference})
    assert response.status_code == 302
    assert Chat.objects.get().ticket_id == mine.pk


def test_without_open_requests_the_start_form_asks_nothing_else(client_for, cast, agent):
    html = client_for(cast.standard_user).get(start_url()).content.decode()
    assert "Is this about one of your open requests?" not in html


def test_the_start_page_stays_within_the_query_budget_at_1_and_20_open_requests(client_for, cast, agent,
                                                                                   count_queries):
    client = client_for(cast.standard_user)
    TicketFactory(requester=cast.standard_user)
    one = count_queries(lambda: client.get(start_url()))
    TicketFactory.create_batch(19, requester=cast.standard_user)
    twenty = count_queries(lambda: client.get(start_url()))
    assert one <= 12 and one == twenty
