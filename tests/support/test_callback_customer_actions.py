"""CB-4: a customer withdraws a call request while it waits — from its page, or by marking the
request solved — and the queue moves up; nobody else can, and once support dialled it is too late.
After a missed call, the customer asks for another one and goes back in the queue."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from hub import staff
from hub.models import OutboundEmail
from support import callbacks as queue
from support.models import Callback, Ticket, TicketEvent
from support.services import (
    cancel_callback,
    change_ticket_status,
    mark_callback_no_answer,
    mark_ticket_solved,
    request_callback_again,
    start_callback,
)
from tests.factories import staff_member

from .test_callbacks import agent, form_url, queue_callbacks, valid

pytestmark = pytest.mark.django_db


def cancel_url(callback):
    return reverse("support:callback_cancel", args=[callback.public_id])


def detail_url(callback):
    return reverse("support:callback_detail", args=[callback.public_id])


@pytest.fixture
def mine(client_for, cast):
    """standard.user's call request, behind nobody, with another customer's behind it."""
    agent()
    client_for(cast.standard_user).post(form_url(), valid())
    return Callback.objects.get(requester=cast.standard_user)


def test_the_requester_cancels_a_waiting_call_request_and_the_queue_moves_up(client_for, cast, mine):
    (behind,) = queue_callbacks(1)
    assert queue.queue_position(behind) == 2
    client = client_for(cast.standard_user)
    page = client.get(detail_url(mine)).content.decode()
    assert "Cancel the call request" in page and f'action="{cancel_url(mine)}"' in page
    emails_before = OutboundEmail.objects.count()

    response = client.post(cancel_url(mine), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url(mine)
    assert f"Your call request is cancelled and request {mine.ticket.reference} is marked solved." in html
    assert "<p>Cancelled</p>" in html and "Cancel the call request" not in html
    mine.refresh_from_db()
    assert mine.status == "cancelled" and mine.ended_at is not None and mine.started_at is None
    ticket = Ticket.objects.get(pk=mine.ticket_id)
    assert ticket.status == "solved" and ticket.solved_at is not None
    assert queue.queue_position(behind) == 1
    assert not Callback.objects.waiting().filter(pk=mine.pk).exists()  # off the agents' console
    assert OutboundEmail.objects.count() == emails_before  # the customer did it themselves
    timeline = client.get(reverse("support:ticket_detail", args=[ticket.reference])).content.decode()
    assert "The call request was cancelled." in timeline and "See the call request" in timeline


def test_cancelling_twice_records_it_once(client_for, cast, mine):
    client = client_for(cast.standard_user)
    client.post(cancel_url(mine))
    client.post(cancel_url(mine))
    cancel_callback(actor=cast.standard_user, callback=mine)
    assert TicketEvent.objects.filter(ticket=mine.ticket_id, kind="callback").count() == 1
    assert TicketEvent.objects.filter(ticket=mine.ticket_id, kind="status_changed").count() == 1


def test_a_get_on_the_cancel_address_changes_nothing(client_for, cast, mine):
    assert client_for(cast.standard_user).get(cancel_url(mine)).status_code == 405
    mine.refresh_from_db()
    assert mine.status == "queued"


@pytest.mark.parametrize("persona", ["outsider", "brand_admin", "free_user", "billing_contact"])
def test_nobody_but_the_requester_can_cancel(client_for, cast, mine, persona):
    """Another organization, a colleague (even the brand administrator) and a free account: 404."""
    assert client_for(getattr(cast, persona)).post(cancel_url(mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.status == "queued"
    with pytest.raises(Exception, match="Only the customer"):
        cancel_callback(actor=getattr(cast, persona), callback=mine)


def test_staff_cannot_cancel_on_the_customers_page(client_for, mine):
    assert client_for(staff_member(staff.SUPPORT_AGENTS)).post(cancel_url(mine)).status_code == 404


def test_once_support_dialled_it_is_too_late(client_for, cast, mine):
    start_callback(actor=staff_member(staff.SUPPORT_AGENTS), callback=mine)
    client = client_for(cast.standard_user)
    assert "Cancel the call request" not in client.get(detail_url(mine)).content.decode()
    html = client.post(cancel_url(mine), follow=True).content.decode()
    assert "Support has already called you, so this call request can no longer be cancelled." in html
    mine.refresh_from_db()
    assert mine.status == "in_progress"
    assert Ticket.objects.get(pk=mine.ticket_id).status == "open"


def test_marking_the_request_solved_withdraws_the_waiting_call(client_for, cast, mine):
    mark_ticket_solved(actor=cast.standard_user, ticket=mine.ticket)
    mine.refresh_from_db()
    assert mine.status == "cancelled"
    assert TicketEvent.objects.filter(ticket=mine.ticket_id, kind="callback", data__action="cancelled").count() == 1


def test_the_page_speaks_the_users_language(client_for, cast, mine):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    client = client_for(cast.standard_user)
    assert "Rückrufanfrage stornieren" in client.get(detail_url(mine)).content.decode()
    html = client.post(cancel_url(mine), follow=True).content.decode()
    assert "Ihre Rückrufanfrage ist storniert" in html


@pytest.mark.django_db(transaction=True)
def test_the_customer_cancelling_as_the_agent_dials_ends_one_way_without_deadlock(cast):
    """The customer's cancel and the agent's "call started" at the same moment: exactly one wins,
    the other is refused with a message, and neither waits on the other forever."""
    agent()
    (callback,) = queue_callbacks(1)
    customer, support = callback.requester, staff_member(staff.SUPPORT_AGENTS)
    barrier = threading.Barrier(2)
    outcomes, errors = {}, []

    def run(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[name] = "done"
        except Exception as error:  # noqa: BLE001 - the loser's refusal is the expected outcome
            outcomes[name] = type(error).__name__
            if type(error).__name__ != "ValidationError":
                errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("customer", lambda: cancel_callback(actor=customer, callback=callback))),
        threading.Thread(target=run, args=("agent", lambda: start_callback(actor=support, callback=callback))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(outcomes.values()) == ["ValidationError", "done"]
    callback.refresh_from_db()
    assert callback.status == ("cancelled" if outcomes["customer"] == "done" else "in_progress")


# --- call me again after a missed call -----------------------------------------------------------
def again_url(callback):
    return reverse("support:callback_again", args=[callback.public_id])


@pytest.fixture
def missed(mine):
    """standard.user's call request, called and not answered."""
    mark_callback_no_answer(actor=staff_member(staff.SUPPORT_AGENTS), callback=mine)
    mine.refresh_from_db()
    return mine


def test_after_a_missed_call_the_customer_goes_back_in_the_queue(client_for, cast, missed):
    (waiting,) = queue_callbacks(1)
    client = client_for(cast.standard_user)
    page = client.get(detail_url(missed)).content.decode()
    assert "We could not reach you" in page and "Call me again" in page
    assert "Cancel the call request" not in page
    assert Ticket.objects.get(pk=missed.ticket_id).status == "awaiting_customer"

    html = client.post(again_url(missed), follow=True).content.decode()
    assert "You are back in the queue. We will call you again." in html
    assert "No. 2" in html and "Call me again" not in html and "Cancel the call request" in html
    missed.refresh_from_db()
    assert missed.status == "queued" and missed.agent is None and missed.started_at is None
    assert missed.requested_at > waiting.requested_at  # behind those already waiting
    assert queue.queue_position(missed) == 2 and queue.queue_position(waiting) == 1
    ticket = Ticket.objects.get(pk=missed.ticket_id)
    assert ticket.status == "open"
    event = TicketEvent.objects.get(ticket=ticket, kind="callback", data__action="requeued")
    assert (event.from_status, event.to_status) == ("awaiting_customer", "open")
    timeline = client.get(reverse("support:ticket_detail", args=[ticket.reference])).content.decode()
    assert "Another call was requested." in timeline


def test_the_missed_call_page_speaks_the_users_language(client_for, cast, missed):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    client = client_for(cast.standard_user)
    page = client.get(detail_url(missed)).content.decode()
    assert "Wir konnten Sie nicht erreichen" in page and "Rufen Sie mich erneut an" in page
    assert "Sie sind wieder in der Warteschlange." in client.post(again_url(missed), follow=True).content.decode()


def test_asking_twice_queues_the_call_once(client_for, cast, missed):
    client = client_for(cast.standard_user)
    client.post(again_url(missed))
    client.post(again_url(missed))
    request_callback_again(actor=cast.standard_user, callback=missed)
    assert TicketEvent.objects.filter(ticket=missed.ticket_id, data__action="requeued").count() == 1


@pytest.mark.parametrize("persona", ["outsider", "brand_admin", "free_user"])
def test_nobody_but_the_requester_asks_again(client_for, cast, missed, persona):
    assert client_for(getattr(cast, persona)).post(again_url(missed)).status_code == 404
    missed.refresh_from_db()
    assert missed.status == "no_answer"


def test_a_waiting_or_answered_call_cannot_be_asked_again(client_for, cast, mine):
    client = client_for(cast.standard_user)
    assert "Call me again" not in client.get(detail_url(mine)).content.decode()
    client.post(again_url(mine))  # still waiting: nothing to do
    assert not TicketEvent.objects.filter(ticket=mine.ticket_id, data__action="requeued").exists()
    start_callback(actor=staff_member(staff.SUPPORT_AGENTS), callback=mine)
    html = client.post(again_url(mine), follow=True).content.decode()
    assert "This call request is not waiting for another call." in html
    mine.refresh_from_db()
    assert mine.status == "in_progress"


def test_a_closed_request_takes_no_more_calls(client_for, cast, missed):
    change_ticket_status(actor=staff_member(staff.SUPPORT_AGENTS), ticket=missed.ticket, status="closed")
    client = client_for(cast.standard_user)
    assert "Call me again" not in client.get(detail_url(missed)).content.decode()
    html = client.post(again_url(missed), follow=True).content.decode()
    assert "This request is closed." in html
    missed.refresh_from_db()
    assert missed.status == "no_answer"


def test_outside_the_languages_phone_hours_the_customer_is_told_when_it_opens(client_for, cast):
    """German phone support is Mon–Fri 08:00–16:30 Berlin: on Saturday a missed German call
    cannot go back in the queue, and the page says when German opens (English is around the clock)."""
    agent(languages=("en", "de"))
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        client_for(cast.standard_user).post(form_url(), valid(language="de"))
        callback = Callback.objects.get(requester=cast.standard_user)
        mark_callback_no_answer(actor=staff_member(staff.SUPPORT_AGENTS), callback=callback)
    with time_machine.travel(datetime(2026, 12, 5, 12, 0, tzinfo=UTC), tick=False):
        html = client_for(cast.standard_user).post(again_url(callback), follow=True).content.decode()
    assert "Phone support in German is closed now; it opens" in html
    callback.refresh_from_db()
    assert callback.status == "no_answer"
