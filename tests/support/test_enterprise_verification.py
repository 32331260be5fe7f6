"""ENT-3: staff escalate a ticket to Enterprise Support; it waits in "verification required"
until the customer re-authenticates (password or MFA code) and chooses whether support may
access the account. Until then staff actions on it are refused, server-side, with a message."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse

from hub import staff
from support.models import EnterpriseVerification, Ticket, TicketEvent
from support.services import (
    assign_ticket,
    change_ticket_status,
    escalate_to_enterprise,
    reply_as_agent,
    update_ticket_triage,
)
from tests.factories import PASSWORD, TicketFactory, staff_member

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:support_ticket_changelist")


@pytest.fixture
def agent(db):
    return staff_member(staff.SUPPORT_AGENTS, first_name="Elena")


@pytest.fixture
def ticket(cast):
    return TicketFactory(requester=cast.standard_user, subject="Responses missing after import")


def detail(ticket):
    return reverse("support:ticket_detail", args=[ticket.reference])


def verify(ticket):
    return reverse("support:ticket_verify", args=[ticket.reference])


def escalate_in_admin(client, ticket):
    return client.post(CHANGELIST, {"action": "escalate_to_enterprise", "_selected_action": [ticket.pk]}, follow=True)


def test_staff_escalate_from_the_admin_and_the_customer_is_asked_to_verify(client_for, agent, ticket,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = escalate_in_admin(client_for(agent), ticket)
    assert "1 ticket escalated; the customer was asked to verify." in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.queue, ticket.is_enterprise) == ("verification_required", "enterprise", True)
    verification = EnterpriseVerification.objects.get()
    assert (verification.escalated_by, verification.previous_status, verification.is_pending) == (agent, "new", True)
    event = ticket.events.get(kind=TicketEvent.Kind.VERIFICATION)
    assert (event.from_status, event.to_status, event.via) == ("new", "verification_required", "admin")
    [email] = mail.outbox
    assert "Verify and confirm" in email.body and f"{detail(ticket)}#verify" in email.body
    # Escalating again changes nothing.
    assert escalate_to_enterprise(actor=agent, ticket=ticket) is None
    assert EnterpriseVerification.objects.count() == 1


def test_staff_actions_wait_for_the_verification(client_for, agent, ticket):
    escalate_to_enterprise(actor=agent, ticket=ticket)
    client = client_for(agent)
    response = client.post(CHANGELIST, {"action": "mark_solved", "_selected_action": [ticket.pk]}, follow=True)
    assert "The customer has not verified this request yet." in response.content.decode()
    response = client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [ticket.pk]}, follow=True)
    assert "The customer has not verified this request yet." in response.content.decode()
    response = client.post(reverse("admin:support_ticket_reply", args=[ticket.pk]),
                           {"message": "Here is the fix", "status": "awaiting_customer"})
    assert response.status_code == 200 and "only internal notes are possible" in response.content.decode()
    for action in (
        lambda: change_ticket_status(actor=agent, ticket=ticket, status="open"),
        lambda: assign_ticket(actor=agent, ticket=ticket, assignee=agent),
        lambda: update_ticket_triage(actor=agent, ticket=ticket, priority="high", queue="technical",
                                     product_area=ticket.product_area),
        lambda: reply_as_agent(actor=agent, ticket=ticket, body="Fixed", status="solved"),
    ):
        with pytest.raises(Exception, match="not verified"):
            action()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.priority, ticket.queue) == (
        "verification_required", None, "normal", "enterprise")
    # An internal note is still possible (it reaches nobody outside).
    reply_as_agent(actor=agent, ticket=ticket, body="Waiting for the customer", is_internal=True)


def test_staff_who_do_not_work_enterprise_cannot_escalate(client_for, cast):
    account_services = staff_member(staff.ACCOUNT_SERVICES, first_name="Elena")
    ticket = TicketFactory(requester=cast.brand_admin, product_area=None, queue="account_services",
                           category="billing_payment")
    response = escalate_in_admin(client_for(account_services), ticket)
    assert "queue you do not work" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "new" and not EnterpriseVerification.objects.exists()


def test_verify_and_confirm_asks_for_the_password_then_records_the_choice(client_for, cast, agent, ticket):
    escalate_to_enterprise(actor=agent, ticket=ticket)
    client = client_for(cast.standard_user)
    page = client.get(detail(ticket)).content.decode()
    assert "Verification required" in page and "Verify and confirm" in page
    response = client.post(verify(ticket), {"allows_account_access": "no"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    ticket.refresh_from_db()
    assert ticket.status == "verification_required"  # nothing happens before the password
    # A wrong password does not verify.
    wrong = client.post(response["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200 and Ticket.objects.get(pk=ticket.pk).status == "verification_required"
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    ticket.refresh_from_db()
    assert ticket.status == "open"
    verification = EnterpriseVerification.objects.get()
    assert (verification.verified_by, verification.allows_account_access) == (cast.standard_user, False)
    page = client.get(detail(ticket)).content.decode()
    assert "Identity verified. Support may not access the account." in page and "Verify and confirm" not in page
    # Staff read the outcome on the ticket, and can act now.
    change_page = client_for(agent).get(reverse("admin:support_ticket_change", args=[ticket.pk])).content.decode()
    assert "support may not access the account" in change_page
    assert change_ticket_status(actor=agent, ticket=ticket, status="awaiting_customer") is not None


def test_verify_and_confirm_with_an_mfa_code(client_for, cast, agent, ticket):
    secret = generate_totp_secret()
    TOTP.activate(cast.standard_user, secret)
    escalate_to_enterprise(actor=agent, ticket=ticket)
    client = client_for(cast.standard_user)
    response = client.post(verify(ticket), {"allows_account_access": "yes"})
    assert response.status_code == 302
    query = response["Location"].split("?", 1)[1]
    code = str(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD)).zfill(6)
    response = client.post(f"{reverse('mfa_reauthenticate')}?{query}", {"code": code})
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    verification = EnterpriseVerification.objects.get()
    assert verification.allows_account_access is True and not verification.is_pending


def test_the_choice_is_required(client_for, cast, agent, ticket):
    escalate_to_enterprise(actor=agent, ticket=ticket)
    client = client_for(cast.standard_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(verify(ticket), {})
    assert response.status_code == 422
    assert "Choose whether support may access your account." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == "verification_required"


def test_only_the_requester_verifies_and_outsiders_get_404(client_for, cast, agent, ticket):
    escalate_to_enterprise(actor=agent, ticket=ticket)
    outsider = client_for(cast.outsider)
    outsider.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert outsider.post(verify(ticket), {"allows_account_access": "yes"}).status_code == 404
    admin = client_for(cast.brand_admin)
    admin.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = admin.get(detail(ticket)).content.decode()
    assert "Verify and confirm" not in page  # a colleague's request: visible, not theirs to verify
    assert admin.post(verify(ticket), {"allows_account_access": "yes"}).status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "verification_required"


def test_a_ticket_that_does_not_wait_for_verification_cannot_be_verified(client_for, cast, ticket):
    client = client_for(cast.standard_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(verify(ticket), {"allows_account_access": "yes"}).status_code == 403
    assert client.get(verify(ticket)).status_code == 405


@pytest.mark.parametrize("events", [1, 20])
def test_the_ticket_page_with_verification_stays_within_its_query_budget(client_for, cast, agent, count_queries,
                                                                        events):
    ticket = TicketFactory(requester=cast.standard_user)
    for n in range(events - 1):
        TicketEvent.objects.create(ticket=ticket, kind="customer_reply", author=cast.standard_user, body=f"More {n}")
    escalate_to_enterprise(actor=agent, ticket=ticket)
    client = client_for(cast.standard_user)
    client.get(detail(ticket))
    assert count_queries(lambda: client.get(detail(ticket))) <= 12
