"""Key dates of a contract's renewal cycle: the page and its .ics export, for those who may see
the contract, all year round."""

from datetime import timedelta

import pytest
from django.urls import reverse

from renewals.models import Renewal

from ..factories import ContractContactFactory, ContractFactory


def page(contract):
    return reverse("renewals:key_dates", kwargs={"contract_number": contract.contract_number})


def ics(contract):
    return reverse("renewals:key_dates_ics", kwargs={"contract_number": contract.contract_number})


@pytest.mark.django_db
def test_the_page_lists_the_cycles_dates_and_the_ics_holds_them_as_all_day_events(client_for, cast, contracts):
    contract = contracts.ending_in_400  # outside any window: key dates are there all year
    client = client_for(cast.brand_admin)
    html = client.get(page(contract)).content.decode()
    for label in ("Billing contact check", "Renewal window opens", "Submission deadline", "Invoice sent (planned)",
                  "Renewal date (contract end)"):
        assert label in html
    response = client.get(ics(contract))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 5
    assert f"DTSTART;VALUE=DATE:{contract.end_date - timedelta(days=120):%Y%m%d}" in body
    assert f"DTSTART;VALUE=DATE:{contract.end_date:%Y%m%d}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.django_db
def test_after_submission_the_fixed_invoice_date_replaces_the_deadline(client_for, cast, contracts):
    contract = contracts.ending_in_100
    send = contract.end_date - timedelta(days=12)
    Renewal.objects.create(contract=contract, cycle=contract.end_date, status="submitted", intent="renew",
                           submitted_at="2026-01-01T00:00Z", invoice_send_date=send)
    body = client_for(cast.billing_contact).get(ics(contract)).content.decode()
    assert "Submission deadline" not in body
    assert f"DTSTART;VALUE=DATE:{send:%Y%m%d}" in body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["standard_user", "outsider", "free_user"])
def test_others_get_404(client_for, cast, contracts, persona):
    client = client_for(getattr(cast, persona))
    for url in (page(contracts.ending_in_100), ics(contracts.ending_in_100)):
        assert client.get(url).status_code == 404
    # The billing contact is no contact of 40018231.
    assert client_for(cast.billing_contact).get(page(contracts.ending_in_140)).status_code == 404


@pytest.mark.django_db
def test_key_dates_page_query_budget_at_1_and_20_contracts(client_for, cast, contracts, count_queries):
    client = client_for(cast.billing_contact)
    url = page(contracts.ending_in_100)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for index in range(19):
        extra = ContractFactory(organization=cast.northwind, contract_number=f"4300{index:04d}", ends_in_days=80 + index)
        ContractContactFactory(contract=extra, role="billing", email=cast.billing_contact.email)
    assert one == count_queries(lambda: client.get(url)) <= 12
