"""REN-1 panels: "Your renewal is coming up" on home and billing pages, their states, and the
query budget of both pages at 1 and at 20 contracts inside the window."""

import pytest
from django.urls import reverse

from renewals.models import Renewal

from ..factories import ContractContactFactory, ContractFactory


def add_contracts(cast, count):
    for index in range(count):
        extra = ContractFactory(organization=cast.northwind, contract_number=f"4200{index:04d}", ends_in_days=30 + index)
        ContractContactFactory(contract=extra, role="billing", email=cast.billing_contact.email)
        ContractContactFactory(contract=extra, role="primary", email=f"p{index}@northwind.example")
        Renewal.objects.create(contract=extra, cycle=extra.end_date, status="in_progress", completed_steps=2)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["billing_contact", "brand_admin"])
@pytest.mark.parametrize("page", ["hub:home", "billing:contract_detail"])
def test_pages_with_renewal_banners_stay_within_budget_at_1_and_20_contracts(client_for, cast, contracts, count_queries, persona, page):
    client = client_for(getattr(cast, persona))
    url = reverse(page)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    add_contracts(cast, 19)
    html = client.get(url).content.decode()
    assert html.count("Your renewal is coming up") >= (20 if page == "hub:home" else 1)
    twenty = count_queries(lambda: client.get(url))
    assert one == twenty <= 12, (one, twenty)


@pytest.mark.django_db
def test_banner_says_continue_once_started_and_view_status_once_submitted(client_for, cast, contracts):
    contract = contracts.ending_in_100
    client = client_for(cast.billing_contact)
    client.post(reverse("renewals:step", kwargs={"contract_number": contract.contract_number, "step": "intent"}),
                {"intent": "renew"})
    html = client.get(reverse("hub:home")).content.decode()
    assert "Continue my renewal" in html and "In progress" in html
    Renewal.objects.update(status="submitted", submitted_at="2026-01-01T00:00Z")
    html = client.get(reverse("hub:home")).content.decode()
    assert "View renewal status" in html and "Submitted" in html
