"""BILL-5: "Questions about your quote or invoice?" → Contact us → an Account Services request."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from billing.services import ask_billing_question
from support.models import AccountServicesRequest

from ..factories import ContractContactFactory, ContractFactory

pytestmark = pytest.mark.django_db

URL = reverse("billing:question_create")
HTMX = {"HTTP_HX_REQUEST": "true"}
NOTICES = ("Requests are handled in English only.", "Technical support cannot help with quotes and invoices.")


def test_the_contract_page_offers_contact_us_with_the_notices(client_for, cast, contracts):
    html = client_for(cast.billing_contact).get(reverse("billing:contract_detail")).content.decode()
    assert "Questions about your quote or invoice?" in html
    assert f'href="{URL}?contract={contracts.ending_in_100.contract_number}"' in html
    assert all(notice in html for notice in NOTICES)


def test_the_form_states_english_only_and_preselects_the_contract(client_for, cast, contracts):
    number = contracts.ending_in_140.contract_number
    response = client_for(cast.brand_admin).get(URL, {"contract": number})
    html = response.content.decode()
    assert response.status_code == 200
    assert all(notice in html for notice in NOTICES)
    assert f'<option value="{number}" selected>' in html
    assert 'name="subject"' in html and 'name="message"' in html and 'name="category"' not in html


def test_sending_creates_an_account_services_request_for_the_contract(
    client_for, cast, contracts, settings, django_capture_on_commit_callbacks
):
    number = contracts.ending_in_100.contract_number
    client = client_for(cast.billing_contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"contract": number, "subject": "Invoice 2026-114",
                                     "message": "The invoice lists 1,300 seats; we have 1,200."})
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:contract_detail", kwargs={"contract_number": number})
    request = AccountServicesRequest.objects.get()
    assert (request.source, request.category, request.contract_number) == ("billing", "billing_payment", number)
    assert (request.requester, request.organization) == (cast.billing_contact, cast.northwind)
    assert mail.outbox[0].to == [settings.HUB_ACCOUNT_SERVICES_EMAIL]
    assert f"Contract: {number}" in mail.outbox[0].body
    assert "Account Services received your question" in client.get(response["Location"]).content.decode()


def test_htmx_swaps_the_card_for_the_form_and_then_for_the_thank_you(client_for, cast, contracts):
    client = client_for(cast.brand_admin)
    form = client.get(URL, {"contract": contracts.ending_in_400.contract_number}, **HTMX).content.decode()
    assert form.lstrip().startswith('<section id="billing-question"') and "<html" not in form
    response = client.post(URL, {"contract": "", "subject": "A quote", "message": "Please send a new quote."}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in html and "Account Services received your question" in html
    assert AccountServicesRequest.objects.get().contract_number == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "", "message": "Please send a new quote."}, "subject"),
        ({"subject": "Quote", "message": "short"}, "message"),
        ({"subject": "Quote", "message": "Please send a new quote.", "contract": "70000001"}, "contract"),
    ],
)
def test_bad_input_and_other_organizations_contracts_are_refused_at_the_field(client_for, cast, contracts, data, field):
    for headers in ({}, HTMX):
        response = client_for(cast.brand_admin).post(URL, data, **headers)
        html = response.content.decode()
        assert response.status_code == 422
        assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert not AccountServicesRequest.objects.exists()


def test_a_contact_cannot_ask_about_a_contract_they_do_not_see(client_for, cast, contracts):
    response = client_for(cast.billing_contact).post(
        URL, {"contract": contracts.ending_in_140.contract_number, "subject": "Quote", "message": "A new quote, please."}
    )
    assert response.status_code == 422
    with pytest.raises(PermissionDenied):
        ask_billing_question(actor=cast.billing_contact, subject="Quote", message="A new quote, please.",
                             contract=contracts.ending_in_140)
    assert not AccountServicesRequest.objects.exists()


def test_standard_users_get_404(client_for, cast, contracts):
    client = client_for(cast.standard_user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"subject": "Quote", "message": "A new quote, please."}).status_code == 404
    with pytest.raises(PermissionDenied):
        ask_billing_question(actor=cast.standard_user, subject="Quote", message="A new quote, please.")


def test_form_stays_within_the_query_budget_at_1_and_at_20_contracts(client_for, cast, count_queries):
    client = client_for(cast.billing_contact)

    def add(count):
        for _ in range(count):
            ContractContactFactory(contract=ContractFactory(organization=cast.northwind), role="billing",
                                   email=cast.billing_contact.email)

    add(1)
    client.get(URL)
    one = count_queries(lambda: client.get(URL))
    add(19)
    assert client.get(URL).content.decode().count("<option value=\"5") == 20
    assert count_queries(lambda: client.get(URL)) == one <= 12
