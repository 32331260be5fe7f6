"""REN-1: who sees the renewal, from when: contacts from day 120 (not 121), brand administrators
read-only, everyone else 404 — on the home page, the billing page and every wizard URL."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.models import organization_today
from renewals.access import can_prepare_renewal, can_see_renewal
from renewals.models import STEPS

from ..factories import ContractContactFactory, ContractFactory


def start_url(contract):
    return reverse("renewals:start", kwargs={"contract_number": contract.contract_number})


def wizard_urls(contract):
    number = contract.contract_number
    return [start_url(contract), reverse("renewals:summary", kwargs={"contract_number": number})] + [
        reverse("renewals:step", kwargs={"contract_number": number, "step": step}) for step in STEPS
    ]


def at_days_before(contract, days):
    zone = ZoneInfo(contract.organization.time_zone)
    return datetime.combine(contract.end_date - timedelta(days=days), time(9, 0), tzinfo=zone)


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "open_"), [(121, False), (120, True), (119, True), (0, True), (-1, False)])
def test_the_window_opens_at_day_120_in_the_organizations_time_zone(cast, contracts, days, open_):
    contract = contracts.ending_in_100
    with time_machine.travel(at_days_before(contract, days), tick=False):
        assert can_prepare_renewal(cast.billing_contact, contract) is open_
        assert can_see_renewal(cast.brand_admin, contract) is open_


@pytest.mark.django_db
def test_at_121_days_nobody_sees_the_banner_and_the_wizard_is_404(client_for, cast, contracts):
    contract = contracts.ending_in_100
    with time_machine.travel(at_days_before(contract, 121), tick=False):
        client = client_for(cast.billing_contact)
        assert "Your renewal is coming up" not in client.get(reverse("hub:home")).content.decode()
        assert client.get(start_url(contract)).status_code == 404


@pytest.mark.django_db
def test_at_120_days_the_billing_contact_sees_the_banner_on_home_and_billing(client_for, cast, contracts):
    contract = contracts.ending_in_100
    with time_machine.travel(at_days_before(contract, 120), tick=False):
        client = client_for(cast.billing_contact)
        for url in (reverse("hub:home"), reverse("billing:contract_detail")):
            html = client.get(url).content.decode()
            assert "Your renewal is coming up" in html
            assert "Prepare my renewal" in html
            assert start_url(contract) in html
        assert client.get(start_url(contract)).status_code == 302


@pytest.mark.django_db
def test_primary_contact_prepares_and_brand_admin_non_contact_sees_status_read_only(client_for, cast):
    contract = ContractFactory(organization=cast.northwind, contract_number="40019999", ends_in_days=90)
    ContractContactFactory(contract=contract, role="primary", first_name="Sam", last_name="Rivera",
                           email=cast.standard_user.email)
    ContractContactFactory(contract=contract, role="billing", first_name="A", last_name="P",
                           email="ap@northwind.example")
    html = client_for(cast.standard_user).get(reverse("hub:home")).content.decode()
    assert "Prepare my renewal" in html
    client = client_for(cast.brand_admin)
    html = client.get(reverse("hub:home")).content.decode()
    assert "Your renewal is coming up" in html and "View renewal status" in html
    assert "Prepare my renewal" not in html
    summary = reverse("renewals:summary", kwargs={"contract_number": contract.contract_number})
    assert client.get(start_url(contract))["Location"] == summary
    step = reverse("renewals:step", kwargs={"contract_number": contract.contract_number, "step": "intent"})
    assert client.get(step)["Location"] == summary
    assert client.post(step, {"intent": "renew"}).status_code == 403
    assert "Status: Not started" in client.get(summary).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["standard_user", "outsider", "free_user", "fedramp_user"])
def test_everyone_else_never_sees_it_and_gets_404_on_every_wizard_url(client_for, cast, contracts, persona):
    client = client_for(getattr(cast, persona))
    assert "Your renewal is coming up" not in client.get(reverse("hub:home")).content.decode()
    for url in wizard_urls(contracts.ending_in_100):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("renewals:submit", kwargs={"contract_number": "40018232"})).status_code == 404


@pytest.mark.django_db
def test_a_contact_of_another_contract_gets_404(client_for, cast, contracts):
    # The billing contact is a contact of 40018232 only; 40018231 is in the window too.
    assert organization_today(cast.northwind) + timedelta(days=140) == contracts.ending_in_140.end_date
    other = ContractFactory(organization=cast.northwind, contract_number="40017000", ends_in_days=60)
    ContractContactFactory(contract=other, role="primary", email="lee.park@northwind.example")
    client = client_for(cast.billing_contact)
    for url in wizard_urls(other):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_outsiders_own_contract_is_404_for_northwind(client_for, cast):
    theirs = ContractFactory(organization=cast.other, contract_number="70000009", ends_in_days=60)
    ContractContactFactory(contract=theirs, role="billing", email=cast.billing_contact.email)
    client = client_for(cast.billing_contact)
    for url in wizard_urls(theirs):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, contracts):
    response = client.get(start_url(contracts.ending_in_100))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
