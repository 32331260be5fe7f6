"""BILL-2, BILL-3, BILL-4, BILL-6, UX-1: the contract page, the switcher with and without htmx,
the documents, and the query budget."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from billing.models import Contract

from ..factories import ContractContactFactory, ContractFactory, ContractLicenseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url_of(contract):
    return reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number})


def test_contract_shows_number_dates_licenses_and_term(client_for, cast, contracts):
    contract = contracts.ending_in_400
    ContractLicenseFactory(contract=contract, product="CX Dashboards — viewers", quantity=12500)
    html = client_for(cast.brand_admin).get(url_of(contract)).content.decode()
    assert f"Contract {contract.contract_number}" in html
    assert date_format(contract.start_date) in html and date_format(contract.end_date) in html
    assert "24 months" in html
    assert "in 400 days" in html
    assert "Surveys &amp; XM Directory — user seats" in html and "250" in html
    assert "CX Dashboards — viewers" in html and "12,500" in html


def test_dates_and_numbers_follow_the_users_language(client_for, cast, contracts):
    cast.brand_admin.language = "de"
    cast.brand_admin.save(update_fields=["language"])
    ContractLicenseFactory(contract=contracts.ending_in_400, product="Responses", quantity=100000)
    html = client_for(cast.brand_admin).get(url_of(contracts.ending_in_400)).content.decode()
    assert "100.000" in html
    assert "24 Monate" in html
    assert "Abrechnungsdetails" in html


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 12),
        (date(2025, 1, 15), date(2026, 1, 14), 12),
        (date(2025, 1, 1), date(2026, 12, 31), 24),
        (date(2025, 3, 1), date(2025, 5, 31), 3),
        (date(2025, 1, 31), date(2025, 2, 27), 1),
        (date(2025, 1, 1), date(2025, 1, 10), 1),
        (date(2025, 1, 1), date(2025, 7, 20), 7),
        (date(2025, 1, 1), date(2025, 7, 10), 6),
    ],
)
def test_term_in_months_is_derived_from_the_dates(start, end, months):
    assert Contract(start_date=start, end_date=end).term_months == months


def test_first_visible_contract_is_the_soonest_renewal(client_for, cast, contracts):
    html = client_for(cast.brand_admin).get(reverse("billing:contract_detail")).content.decode()
    assert f"Contract {contracts.ending_in_100.contract_number}" in html
    assert f'<option value="{contracts.ending_in_100.contract_number}" selected>' in html


def test_switcher_without_javascript_redirects_to_the_contracts_own_url(client_for, cast, contracts):
    client = client_for(cast.brand_admin)
    number = contracts.ending_in_400.contract_number
    response = client.get(reverse("billing:contract_detail"), {"contract": number})
    assert response.status_code == 302
    assert response["Location"] == url_of(contracts.ending_in_400)


def test_switcher_with_htmx_swaps_the_contract_panel_and_pushes_its_url(client_for, cast, contracts):
    client = client_for(cast.brand_admin)
    number = contracts.ending_in_400.contract_number
    response = client.get(reverse("billing:contract_detail"), {"contract": number}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == url_of(contracts.ending_in_400)
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<div id="contract-panel"')
    assert f"Contract {number}" in html
    assert "<html" not in html and "contract-switcher" not in html


@pytest.mark.parametrize("value", ["abc", "12", "../1234", "1" * 21])
def test_switcher_refuses_malformed_numbers(client_for, cast, contracts, value):
    client = client_for(cast.brand_admin)
    assert client.get(reverse("billing:contract_detail"), {"contract": value}).status_code == 404
    assert client.get(reverse("billing:contract_detail"), {"contract": value}, **HTMX).status_code == 404


def test_back_button_history_restore_gets_the_whole_page(client_for, cast, contracts):
    response = client_for(cast.brand_admin).get(
        url_of(contracts.ending_in_140), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_security_and_privacy_documents_come_from_settings(client_for, cast, contracts, settings):
    settings.HUB_SECURITY_DOCUMENTS = {
        "privacy_statement": "https://legal.vendor.example/privacy",
        "trust_center": "https://trust.vendor.example/",
        "terms_of_service": "",
    }
    html = client_for(cast.billing_contact).get(reverse("billing:contract_detail")).content.decode()
    assert "Security and privacy documentation" in html
    assert html.index("https://legal.vendor.example/privacy") < html.index("https://trust.vendor.example/")
    assert "Terms of service" not in html
    assert html.index("Security and privacy documentation") > html.index("Questions about your quote or invoice?")


def test_contacts_show_only_with_the_billing_contacts_feature(client_for, cast, contracts):
    client = client_for(cast.brand_admin)
    assert 'id="contacts"' in client.get(url_of(contracts.ending_in_400)).content.decode()
    cast.northwind.billing_contacts_enabled = False
    cast.northwind.save(update_fields=["billing_contacts_enabled"])
    html = client.get(url_of(contracts.ending_in_400)).content.decode()
    assert 'id="contacts"' not in html and "Lee Park" not in html
    edit = reverse("billing:contact_edit", kwargs={"contract_number": contracts.ending_in_400.contract_number,
                                                   "role": "billing"})
    assert client.get(edit).status_code == 404
    # A contact still has the section (BILL-1), without the contacts (BILL-6).
    assert client_for(cast.billing_contact).get(reverse("billing:contract_detail")).status_code == 200


def test_a_missing_contact_role_says_so_and_offers_to_add_one(client_for, cast):
    contract = ContractFactory(organization=cast.northwind)
    ContractContactFactory(contract=contract, role="primary", email=cast.brand_admin.email)
    html = client_for(cast.brand_admin).get(url_of(contract)).content.decode()
    assert "Nobody is named for this role yet." in html
    assert ">Add<span" in html


def test_an_ended_contract_says_so(client_for, cast):
    contract = ContractFactory(organization=cast.northwind, ends_in_days=-3)
    html = client_for(cast.brand_admin).get(url_of(contract)).content.decode()
    assert ">Ended<" in html and "in -3" not in html


def _northwind_contracts(cast, count):
    for index in range(count):
        contract = ContractFactory(organization=cast.northwind, ends_in_days=130 + index)
        ContractLicenseFactory(contract=contract)
        ContractLicenseFactory(contract=contract)
        ContractContactFactory(contract=contract, role="primary", email=cast.billing_contact.email,
                               updated_by=cast.brand_admin)
        ContractContactFactory(contract=contract, role="billing")
    return Contract.objects.filter(organization=cast.northwind).order_by("end_date").first()


@pytest.mark.parametrize("persona", ["brand_admin", "billing_contact"])
@pytest.mark.parametrize("htmx", [False, True])
def test_page_stays_within_the_query_budget_at_1_and_at_20_contracts(
    client_for, cast, count_queries, persona, htmx
):
    client = client_for(getattr(cast, persona))
    headers = HTMX if htmx else {}
    first = _northwind_contracts(cast, 1)
    client.get(url_of(first), **headers)
    one = count_queries(lambda: client.get(url_of(first), **headers))
    _northwind_contracts(cast, 19)
    twenty = count_queries(lambda: client.get(url_of(first), **headers))
    response = client.get(reverse("billing:contract_detail"), **headers)
    assert response.status_code == 200
    assert one <= 12
    assert twenty == one
    if not htmx:
        assert response.content.decode().count("<option value=\"5") == 20
