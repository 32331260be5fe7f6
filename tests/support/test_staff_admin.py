"""ADM-1..2: least-privilege groups, ticket queues with filters and search, "assign to me",
status actions and replies that email the customer, the timeline inline, history."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from hub import staff
from hub.staff import sync_staff_groups
from support.models import SupportSchedule, Ticket, TicketEvent
from tests.factories import TicketFactory, staff_member

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:support_ticket_changelist")


@pytest.fixture
def agent(db):
    return staff_member(staff.SUPPORT_AGENTS, first_name="Elena")


@pytest.fixture
def tickets(cast):
    technical = TicketFactory(requester=cast.standard_user, subject="Survey logic broken")
    account = TicketFactory(requester=cast.brand_admin, subject="Invoice address", product_area=None,
                            queue="account_services", category="billing_payment")
    return technical, account


def test_agents_see_the_technical_queues_and_account_services_its_own(client_for, tickets):
    technical, account = tickets
    agent_html = client_for(staff_member(staff.SUPPORT_AGENTS)).get(CHANGELIST).content.decode()
    assert "Survey logic broken" in agent_html and "Invoice address" not in agent_html
    account_html = client_for(staff_member(staff.ACCOUNT_SERVICES)).get(CHANGELIST).content.decode()
    assert "Invoice address" in account_html and "Survey logic broken" not in account_html


def test_an_agent_cannot_open_a_ticket_outside_their_queues(client_for, agent, tickets):
    _technical, account = tickets
    response = client_for(agent).get(reverse("admin:support_ticket_change", args=[account.pk]))
    assert response.status_code == 302  # the admin redirects a missing object to the index


@pytest.mark.parametrize("query", [
    {"queue__exact": "technical"}, {"status__exact": "new"}, {"channel__exact": "email"},
    {"language__exact": "en"}, {"is_enterprise__exact": "0"}, {"assigned": "nobody"},
])
def test_the_queue_filters_work(client_for, agent, tickets, query):
    product_area = tickets[0].product_area_id
    response = client_for(agent).get(CHANGELIST, query)
    assert response.status_code == 200 and "Survey logic broken" in response.content.decode()
    assert client_for(agent).get(CHANGELIST, {"product_area__id__exact": product_area}).status_code == 200


@pytest.mark.parametrize("term", ["reference", "Survey logic", "sam.rivera@northwind", "Northwind"])
def test_search_by_reference_subject_requester_or_organization(client_for, agent, tickets, term):
    term = tickets[0].reference if term == "reference" else term
    html = client_for(agent).get(CHANGELIST, {"q": term}).content.decode()
    assert "Survey logic broken" in html


def test_assign_to_me_records_an_internal_event(client_for, agent, tickets):
    technical, _account = tickets
    client_for(agent).post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [technical.pk]})
    technical.refresh_from_db()
    assert technical.assignee == agent
    event = technical.events.get(kind=TicketEvent.Kind.ASSIGNED)
    assert event.is_internal and event.author == agent


def test_a_status_action_calls_the_service_and_emails_the_customer(
    client_for, agent, tickets, django_capture_on_commit_callbacks
):
    technical, _account = tickets
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(CHANGELIST, {"action": "mark_solved", "_selected_action": [technical.pk]})
    technical.refresh_from_db()
    assert technical.status == Ticket.Status.SOLVED
    assert technical.events.filter(kind="status_changed", to_status="solved").exists()
    [email] = mail.outbox
    assert email.to == [technical.requester.email] and technical.reference in email.subject
    assert "#rating" in email.body


def test_reply_from_the_admin_emails_the_customer_in_their_language_and_shows_in_the_hub(
    client_for, agent, tickets, cast, django_capture_on_commit_callbacks
):
    technical, _account = tickets
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    url = reverse("admin:support_ticket_reply", args=[technical.pk])
    client = client_for(agent)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Please check the survey's expiry date.", "status": "awaiting_customer"})
    assert response.status_code == 302
    technical.refresh_from_db()
    assert (technical.status, technical.assignee) == (Ticket.Status.AWAITING_CUSTOMER, agent)
    [email] = mail.outbox
    assert "Please check the survey's expiry date." in email.body
    assert "Elena" in email.body and "Support" in email.body
    assert "Wartet auf Ihre Antwort" in email.body  # the status, in German
    hub_page = client_for(cast.standard_user).get(reverse("support:ticket_detail", args=[technical.reference]))
    assert "Please check the survey" in hub_page.content.decode()


def test_an_internal_note_is_neither_emailed_nor_shown_to_the_customer(
    client_for, agent, tickets, cast, django_capture_on_commit_callbacks
):
    technical, _account = tickets
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(reverse("admin:support_ticket_reply", args=[technical.pk]),
                               {"message": "Known bug SURV-12.", "status": "open", "is_internal": "on"})
    technical.refresh_from_db()
    assert technical.status == Ticket.Status.NEW and not mail.outbox
    assert "SURV-12" not in client_for(cast.standard_user).get(
        reverse("support:ticket_detail", args=[technical.reference])).content.decode()


def test_the_change_page_shows_the_timeline_and_triage_goes_through_the_service(client_for, agent, tickets):
    technical, _account = tickets
    url = reverse("admin:support_ticket_change", args=[technical.pk])
    client = client_for(agent)
    html = client.get(url).content.decode()
    assert "Request created" in html and reverse("admin:support_ticket_reply", args=[technical.pk]) in html
    client.post(url, {"priority": "high", "queue": "technical", "product_area": technical.product_area_id,
                      "assignee": "", "events-TOTAL_FORMS": 1, "events-INITIAL_FORMS": 1,
                      "attachments-TOTAL_FORMS": 0, "attachments-INITIAL_FORMS": 0})
    technical.refresh_from_db()
    assert technical.priority == "high"
    assert technical.events.get(kind=TicketEvent.Kind.ROUTED).data == {"priority": {"from": "normal", "to": "high"}}
    assert technical.history.count() >= 2


def test_customer_success_reads_tickets_but_cannot_act(client_for, tickets):
    reader = staff_member(staff.CUSTOMER_SUCCESS)
    client = client_for(reader)
    html = client.get(CHANGELIST).content.decode()
    assert "Survey logic broken" in html and "Invoice address" in html
    assert 'value="mark_solved"' not in html
    assert client.get(reverse("admin:support_ticket_reply", args=[tickets[0].pk])).status_code == 403


def test_least_privilege_groups(db):
    sync_staff_groups()
    agents = set(Group.objects.get(name=staff.SUPPORT_AGENTS).permissions.values_list("codename", flat=True))
    account = set(Group.objects.get(name=staff.ACCOUNT_SERVICES).permissions.values_list("codename", flat=True))
    success = set(Group.objects.get(name=staff.CUSTOMER_SUCCESS).permissions.values_list("codename", flat=True))
    assert {"reply_ticket", "change_ticket", "change_supportschedule", "add_supportholiday"} <= agents
    assert "delete_ticket" not in agents | account | success
    assert "reply_ticket" in account and "change_supportschedule" not in account
    assert "reply_ticket" not in success and "view_ticketrating" in success


def test_agents_edit_product_areas_and_hours(client_for, agent):
    schedule = SupportSchedule.objects.get(name="Chat: English and Spanish")
    client = client_for(agent)
    assert client.get(reverse("admin:support_supportschedule_change", args=[schedule.pk])).status_code == 200
    assert client.get(reverse("admin:support_supportschedule_changelist")).status_code == 200
    assert client.get(reverse("admin:support_productarea_changelist")).status_code == 200
    assert client.get(reverse("admin:support_ticketrating_changelist")).status_code == 200


def test_an_agent_changes_chat_hours_in_the_admin_and_the_hub_follows(client_for, agent):
    from datetime import UTC, datetime

    from support import availability, selectors

    schedule = SupportSchedule.objects.get(name="Chat: English and Spanish")
    windows = list(schedule.windows.order_by("weekday"))
    data = {"name": schedule.name, "channel": "chat", "languages": ["en", "es"], "time_zone": "America/Denver",
            "is_active": "on", "windows-TOTAL_FORMS": len(windows), "windows-INITIAL_FORMS": len(windows),
            "windows-MIN_NUM_FORMS": 0, "windows-MAX_NUM_FORMS": 1000}
    for n, window in enumerate(windows):
        closes = "18:00" if window.weekday == 4 else window.closes.strftime("%H:%M")  # Friday until 18:00
        data.update({f"windows-{n}-id": window.pk, f"windows-{n}-schedule": schedule.pk,
                     f"windows-{n}-weekday": window.weekday, f"windows-{n}-opens": window.opens.strftime("%H:%M"),
                     f"windows-{n}-closes": closes})
    response = client_for(agent).post(reverse("admin:support_supportschedule_change", args=[schedule.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    friday_1700_mt = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
    [chat] = [s for s in selectors.load_schedules(friday_1700_mt) if s.channel == "chat"]
    assert availability.opening([chat], friday_1700_mt).is_open
