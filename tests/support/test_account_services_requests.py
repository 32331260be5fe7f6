"""SUP-12 (and PRO-4, BILL-5 through the same service): Account Services requests are tickets in
the Account Services queue, announced to the team and confirmed to the requester."""

import pytest
from django.core import mail
from django.urls import reverse

from support.choices import Queue
from support.forms import AccountServicesRequestForm
from support.models import Ticket
from support.services import submit_account_services_request

pytestmark = pytest.mark.django_db
URL = reverse("support:account_services_create")
VALID = {"category": "license_request", "subject": "More seats", "message": "We need 20 more seats."}


def _submit(user, **extra):
    return submit_account_services_request(
        requester=user, category="license_request", subject="More seats", message="We need 20 more seats.",
        source="profile", **extra,
    )


def test_a_request_becomes_an_account_services_ticket_announced_to_the_team_in_english(
    cast, settings, django_capture_on_commit_callbacks
):
    cast.brand_admin.language = "de"
    cast.brand_admin.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _submit(cast.brand_admin, contract_number="C-10042")
    assert isinstance(ticket, Ticket)
    assert (ticket.queue, ticket.category, ticket.source, ticket.language) == (
        Queue.ACCOUNT_SERVICES, "license_request", "profile", "en")
    assert (ticket.organization, ticket.status, ticket.contract_number) == (cast.northwind, Ticket.Status.NEW, "C-10042")
    assert ticket.reference.startswith("CS-")
    team, confirmation = mail.outbox
    assert team.to == [settings.HUB_ACCOUNT_SERVICES_EMAIL]
    assert team.reply_to == [cast.brand_admin.email]
    assert team.subject == f"[{cast.northwind.public_id}] License request: More seats"
    assert ticket.reference in team.body
    assert "New Account Services request" in team.body
    assert confirmation.to == [cast.brand_admin.email]
    assert "Wir haben Ihre Anfrage" in confirmation.body  # the requester's language
    assert ticket.reference in confirmation.subject


def test_requests_are_visible_to_the_requester_and_their_brand_admins_only(cast):
    mine = _submit(cast.standard_user)
    assert list(Ticket.objects.visible_to(cast.standard_user)) == [mine]
    assert list(Ticket.objects.visible_to(cast.brand_admin)) == [mine]
    assert not Ticket.objects.visible_to(cast.billing_contact).exists()
    assert not Ticket.objects.visible_to(cast.outsider).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "nonsense", "subject": "Seats", "message": "We need more seats."}, "category"),
        ({"category": "license_request", "subject": "  ", "message": "We need more seats."}, "subject"),
        ({"category": "license_request", "subject": "Seats", "message": "short"}, "message"),
    ],
)
def test_the_form_explains_bad_input_at_the_field(data, field):
    form = AccountServicesRequestForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_intake_page_creates_a_ticket_and_shows_it(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for(cast.brand_admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "handles requests in English" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, VALID)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:ticket_detail", args=[ticket.reference])
    assert (ticket.source, ticket.requester) == ("support", cast.brand_admin)
    assert ticket.reference in client.get(response["Location"]).content.decode()


def test_bad_input_is_explained_at_the_field_with_422(client_for, cast):
    response = client_for(cast.brand_admin).post(URL, {**VALID, "message": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.content.decode()
    assert not Ticket.objects.exists()


def test_htmx_gets_the_form_partial_and_a_redirect_header(client_for, cast):
    client = client_for(cast.brand_admin)
    invalid = client.post(URL, {**VALID, "subject": ""}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 422
    assert 'id="request-form"' in invalid.content.decode()
    assert "<html" not in invalid.content.decode()
    valid = client.post(URL, VALID, HTTP_HX_REQUEST="true")
    ticket = Ticket.objects.get()
    assert valid.status_code == 204
    assert valid["HX-Redirect"] == reverse("support:ticket_detail", args=[ticket.reference])


def test_a_contracts_billing_contact_may_ask_account_services(client_for, cast, contracts):
    client = client_for(cast.billing_contact)
    assert client.get(URL).status_code == 200
    assert client.post(URL, VALID).status_code == 302
    assert Ticket.objects.get().requester == cast.billing_contact


@pytest.mark.parametrize("persona", ["standard_user", "fedramp_user", "free_user"])
def test_users_who_are_neither_brand_admins_nor_contacts_get_404(client_for, cast, contracts, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, VALID).status_code == 404
    assert not Ticket.objects.exists()


def test_the_intake_page_stays_within_the_query_budget(client_for, cast, count_queries):
    client = client_for(cast.brand_admin)
    assert count_queries(lambda: client.get(URL)) <= 12


def test_account_services_requests_are_the_tickets_of_that_queue_under_their_old_name(cast):
    from support.models import AccountServicesRequest
    from tests.factories import TicketFactory

    TicketFactory(requester=cast.standard_user)
    request = _submit(cast.brand_admin)
    [stored] = AccountServicesRequest.objects.all()
    assert stored == request and stored.message == "We need 20 more seats."
    assert stored.category == AccountServicesRequest.Category.LICENSE
    assert stored.source == AccountServicesRequest.Source.PROFILE
    assert list(AccountServicesRequest.objects.visible_to(cast.brand_admin)) == [request]
    assert not AccountServicesRequest.objects.visible_to(cast.standard_user).exists()


def test_intake_forms_may_narrow_the_fields(cast):
    class BillingQuestionForm(AccountServicesRequestForm):
        class Meta(AccountServicesRequestForm.Meta):
            fields = ["subject", "message"]

    form = BillingQuestionForm({"subject": "Invoice 42", "message": "Please resend invoice 42."})
    assert list(form.fields) == ["subject", "message"]
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"subject": "Invoice 42", "message": "Please resend invoice 42."}
    full = AccountServicesRequestForm({**VALID, "category": ""})
    assert not full.is_valid() and list(full.errors) == ["category"]
