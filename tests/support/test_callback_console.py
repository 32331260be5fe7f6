"""CB-4: the callback console in the admin — queue order, wait so far, consents — and the
"call started", "completed" and "no answer" actions recorded on the ticket's timeline."""

import pytest
from django.urls import reverse

from hub import staff
from hub.models import OutboundEmail
from support import callbacks as queue
from support.models import Callback, ProductArea, Ticket, TicketEvent
from tests.factories import staff_member

from .test_callbacks import queue_callbacks

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:support_callback_changelist")


@pytest.fixture
def agent(db):
    return staff_member(staff.SUPPORT_AGENTS, first_name="Elena")


def act(client, action, *callbacks):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in callbacks]}, follow=True)


def test_the_console_lists_waiting_callbacks_in_queue_order_with_language_area_and_consents(client_for, agent):
    first, second = queue_callbacks(2)
    (german,) = queue_callbacks(1, language="de")
    Callback.objects.filter(pk=second.pk).update(consents_to_recording=False, can_access_account=True)
    html = client_for(agent).get(CHANGELIST).content.decode()
    assert html.index(first.ticket.reference) < html.index(second.ticket.reference) < html.index(german.ticket.reference)
    assert "recording: NO · account access: yes" in html and "recording: yes · account access: no" in html
    assert "Deutsch" in html and "Surveys &amp; XM Directory" in html
    assert " min</td>" in html  # wait so far


def test_call_started_completed_and_no_answer_are_recorded_on_the_ticket(client_for, agent):
    first, second = queue_callbacks(2)
    client = client_for(agent)
    assert "1 call started." in act(client, "call_started", first).content.decode()
    first.refresh_from_db()
    assert first.status == "in_progress" and first.agent == agent and first.started_at
    assert queue.queue_position(second) == 1
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert ticket.status == "open" and ticket.assignee == agent
    assert "1 call completed." in act(client, "call_completed", first).content.decode()
    first.refresh_from_db()
    assert first.status == "completed" and first.handle_seconds is not None
    assert "1 call marked as not answered" in act(client, "call_no_answer", second).content.decode()
    second.refresh_from_db()
    assert second.status == "no_answer"
    actions = list(TicketEvent.objects.filter(kind="callback").order_by("pk").values_list("ticket_id", "data__action"))
    assert actions == [(first.ticket_id, "started"), (first.ticket_id, "completed"), (second.ticket_id, "no_answer")]
    assert Ticket.objects.get(pk=second.ticket_id).status == "awaiting_customer"
    assert OutboundEmail.objects.filter(template="support_ticket_status", to_email=second.requester.email).exists()


def test_the_customer_sees_the_calls_on_the_timeline(client_for, agent, cast):
    from support.services import request_callback

    callback, _ = request_callback(
        requester=cast.standard_user, product_area=ProductArea.objects.get(slug="surveys"), language="en",
        country="US", phone="+13035550142", extension="", email=cast.standard_user.email, subject="Quota help",
        can_access_account=False, consents_to_recording=True, submission_key=__import__("uuid").uuid4(),
    )
    client = client_for(agent)
    act(client, "call_started", callback)
    act(client, "call_completed", callback)
    html = client_for(cast.standard_user).get(
        reverse("support:ticket_detail", args=[callback.ticket.reference])).content.decode()
    assert "Support started the call." in html and "The call ended after 1 minute." in html


def test_actions_in_the_wrong_order_are_refused_with_a_message(client_for, agent):
    (callback,) = queue_callbacks(1)
    html = act(client_for(agent), "call_completed", callback).content.decode()
    assert "Start the call before completing it." in html
    callback.refresh_from_db()
    assert callback.status == "queued" and not TicketEvent.objects.filter(kind="callback").exists()


def test_a_call_started_twice_is_refused(client_for, agent):
    (callback,) = queue_callbacks(1)
    client = client_for(agent)
    act(client, "call_started", callback)
    assert "This callback is no longer waiting." in act(client, "call_started", callback).content.decode()
    assert TicketEvent.objects.filter(kind="callback").count() == 1


def test_customer_success_reads_the_queue_but_cannot_act(client_for):
    reader = staff_member(staff.CUSTOMER_SUCCESS)
    (callback,) = queue_callbacks(1)
    client = client_for(reader)
    response = client.get(CHANGELIST)
    assert response.status_code == 200 and callback.ticket.reference in response.content.decode()
    act(client, "call_started", callback)
    callback.refresh_from_db()
    assert callback.status == "queued"


def test_account_services_does_not_see_the_technical_callback_queue(client_for):
    queue_callbacks(1)
    response = client_for(staff_member(staff.ACCOUNT_SERVICES)).get(CHANGELIST)
    assert response.status_code == 403


def test_services_refuse_staff_outside_the_queue(db):
    from django.core.exceptions import PermissionDenied

    from support.services import start_callback

    (callback,) = queue_callbacks(1)
    with pytest.raises(PermissionDenied):
        start_callback(actor=staff_member(staff.ACCOUNT_SERVICES), callback=callback)
    with pytest.raises(PermissionDenied):
        start_callback(actor=callback.requester, callback=callback)


def test_finished_calls_appear_under_all(client_for, agent):
    (callback,) = queue_callbacks(1)
    client = client_for(agent)
    act(client, "call_no_answer", callback)
    assert callback.ticket.reference not in client.get(CHANGELIST).content.decode()
    assert callback.ticket.reference in client.get(CHANGELIST, {"state": "all"}).content.decode()


def test_choosing_a_finished_status_shows_those_calls(client_for, agent):
    (callback,) = queue_callbacks(1)
    client = client_for(agent)
    act(client, "call_no_answer", callback)
    assert callback.ticket.reference in client.get(CHANGELIST, {"status__exact": "no_answer"}).content.decode()


def test_the_service_refuses_accounts_without_phone_support(cast):
    import uuid

    from django.core.exceptions import PermissionDenied

    from support.services import request_callback

    with pytest.raises(PermissionDenied):
        request_callback(requester=cast.free_user, product_area=ProductArea.objects.get(slug="surveys"),
                         language="en", country="US", phone="+13035550142", extension="",
                         email="x@example.com", subject="Help", can_access_account=False,
                         consents_to_recording=True, submission_key=uuid.uuid4())
    assert not Callback.objects.exists()
