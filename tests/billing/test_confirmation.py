"""BILL-9: from 150 days before a contract's end, its contacts and brand administrators see a
banner asking them to confirm the billing contact; confirming or editing removes it for the
renewal cycle, and it comes back in the next one. Days are counted in the organization's zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from billing.models import ContactConfirmation, Contract, ContractContact
from billing.services import confirm_contract_contacts

from ..factories import ContractContactFactory, ContractFactory, OrganizationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

END = date(2027, 6, 30)
BERLIN = ZoneInfo("Europe/Berlin")
BANNER = "Please confirm the billing contact of contract"
HTMX = {"HTTP_HX_REQUEST": "true"}


def days_before(end, days, at=time(12, 0), zone=BERLIN):
    """A moment `days` days before `end`, at `at` in `zone`."""
    return datetime.combine(end - timedelta(days=days), at, tzinfo=zone)


@pytest.fixture
def contract(cast):
    made = ContractFactory(organization=cast.northwind, contract_number="40017777",
                           start_date=date(2026, 7, 1), end_date=END)
    ContractContactFactory(contract=made, role="primary", first_name="Lee", last_name="Park",
                           email="lee.park@northwind.example")
    ContractContactFactory(contract=made, role="billing", first_name="Priya", last_name="Nair",
                           email=cast.billing_contact.email)
    return made


def page_url(contract):
    return reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number})


def confirm_url(contract):
    return reverse("billing:contacts_confirm", kwargs={"contract_number": contract.contract_number})


def banner_on(client, url="/"):
    return BANNER in client.get(url).content.decode()


@pytest.mark.parametrize(("days", "shown"), [(151, False), (150, True), (149, True)])
def test_banner_appears_150_days_before_the_end(client_for, cast, contract, days, shown):
    with time_machine.travel(days_before(END, days), tick=False):
        for user in (cast.brand_admin, cast.billing_contact):
            client = client_for(user)
            assert banner_on(client, "/") is shown
            assert banner_on(client, page_url(contract)) is shown
        assert not banner_on(client_for(cast.standard_user), "/")


def test_the_day_is_counted_in_the_organizations_time_zone(client_for, cast, contract):
    pacific = OrganizationFactory(time_zone="America/Los_Angeles", billing_contacts_enabled=True)
    west = ContractFactory(organization=pacific, start_date=date(2026, 7, 1), end_date=END)
    # 23:30 UTC: already day 150 in Berlin, still day 151 in Los Angeles.
    moment = datetime.combine(END - timedelta(days=151), time(23, 30), tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        assert contract.days_until_end() == 150 and west.days_until_end() == 151
        assert set(Contract.objects.in_window(150)) == {contract}
        assert banner_on(client_for(cast.brand_admin))


def test_banner_shows_the_billing_contact_with_confirm_and_edit(client_for, cast, contract):
    with time_machine.travel(days_before(END, 120), tick=False):
        html = client_for(cast.billing_contact).get("/").content.decode()
    assert "Billing contact: <strong>Priya Nair</strong> (priya.nair@northwind.example)" in html
    assert f'action="{confirm_url(contract)}"' in html and '<input type="hidden" name="next" value="/">' in html
    edit = reverse("billing:contact_edit", kwargs={"contract_number": contract.contract_number, "role": "billing"})
    assert f'href="{edit}"' in html


def test_confirming_on_the_billing_page_hides_the_banner_for_the_cycle(client_for, cast, contract):
    with time_machine.travel(days_before(END, 150), tick=False):
        client = client_for(cast.billing_contact)
        response = client.post(confirm_url(contract), **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="contract-panel"')
        assert "are confirmed for this renewal" in html and BANNER not in html
        confirmation = ContactConfirmation.objects.get()
        assert (confirmation.cycle, confirmation.method, confirmation.confirmed_by) == (
            END, "confirmed", cast.billing_contact)
        assert not banner_on(client_for(cast.brand_admin))
    with time_machine.travel(days_before(END, 1), tick=False):
        assert not banner_on(client_for(cast.billing_contact))


def test_confirming_from_the_home_page_returns_there(client_for, cast, contract):
    with time_machine.travel(days_before(END, 100), tick=False):
        client = client_for(cast.brand_admin)
        response = client.post(confirm_url(contract), {"next": "/"})
        assert response.status_code == 302 and response["Location"] == "/"
        html = client.get("/").content.decode()
        assert BANNER not in html and "The contacts of contract 40017777 are confirmed for this renewal." in html
        assert client.post(confirm_url(contract), {"next": "https://evil.example/"})["Location"] == page_url(contract)
    assert ContactConfirmation.objects.count() == 1


def test_editing_a_contact_inside_the_window_counts_as_confirming(client_for, cast, contract):
    contact = ContractContact.objects.get(contract=contract, role="primary")
    edit = reverse("billing:contact_edit", kwargs={"contract_number": contract.contract_number, "role": "primary"})
    with time_machine.travel(days_before(END, 140), tick=False):
        client = client_for(cast.brand_admin)
        client.post(edit, {"first_name": "Lee", "last_name": "Park-Smith", "email": contact.email, "version": 1})
        assert ContactConfirmation.objects.get().method == "edited"
        assert not banner_on(client)


def test_an_edit_long_before_the_window_does_not_confirm_the_cycle(client_for, cast, contract):
    contact = ContractContact.objects.get(contract=contract, role="primary")
    edit = reverse("billing:contact_edit", kwargs={"contract_number": contract.contract_number, "role": "primary"})
    with time_machine.travel(days_before(END, 300), tick=False):
        client_for(cast.brand_admin).post(
            edit, {"first_name": "Lee", "last_name": "Park-Smith", "email": contact.email, "version": 1})
    assert not ContactConfirmation.objects.exists()
    with time_machine.travel(days_before(END, 150), tick=False):
        assert banner_on(client_for(cast.brand_admin))


def test_the_banner_comes_back_in_the_next_renewal_cycle(client_for, cast, contract):
    with time_machine.travel(days_before(END, 150), tick=False):
        confirm_contract_contacts(actor=cast.brand_admin, contract=contract)
    next_end = date(2028, 6, 30)
    Contract.objects.filter(pk=contract.pk).update(start_date=END + timedelta(days=1), end_date=next_end)
    with time_machine.travel(days_before(next_end, 151), tick=False):
        assert not banner_on(client_for(cast.brand_admin))
    with time_machine.travel(days_before(next_end, 150), tick=False):
        assert banner_on(client_for(cast.brand_admin))
        assert banner_on(client_for(cast.billing_contact), page_url(contract))


def test_confirming_outside_the_window_is_forbidden(client_for, cast, contract):
    with time_machine.travel(days_before(END, 151), tick=False):
        assert client_for(cast.brand_admin).post(confirm_url(contract)).status_code == 403
    with time_machine.travel(days_before(END, -1), tick=False):
        assert client_for(cast.brand_admin).post(confirm_url(contract)).status_code == 403
    assert not ContactConfirmation.objects.exists()


def test_confirming_twice_records_one_confirmation(cast, contract):
    with time_machine.travel(days_before(END, 10), tick=False):
        first = confirm_contract_contacts(actor=cast.brand_admin, contract=contract)
        second = confirm_contract_contacts(actor=cast.billing_contact, contract=contract)
    assert first.pk == second.pk and first.confirmed_by == cast.brand_admin


def test_confirm_is_404_for_those_without_the_section_or_the_feature(client_for, cast, contract):
    with time_machine.travel(days_before(END, 100), tick=False):
        assert client_for(cast.standard_user).post(confirm_url(contract)).status_code == 404
        assert client_for(cast.outsider).post(confirm_url(contract)).status_code == 404
        staff = StaffUserFactory(is_superuser=True)
        assert client_for(staff).post(confirm_url(contract)).status_code == 404
        assert client_for(cast.brand_admin).get(confirm_url(contract)).status_code == 405
        cast.northwind.billing_contacts_enabled = False
        cast.northwind.save(update_fields=["billing_contacts_enabled"])
        assert not banner_on(client_for(cast.brand_admin))
        assert client_for(cast.brand_admin).post(confirm_url(contract)).status_code == 404
    assert not ContactConfirmation.objects.exists()


def test_a_contact_sees_banners_only_for_their_own_contracts(client_for, cast, contract):
    other = ContractFactory(organization=cast.northwind, contract_number="40018888", end_date=END,
                            start_date=date(2026, 7, 1))
    ContractContactFactory(contract=other, role="billing", email="someone@northwind.example")
    with time_machine.travel(days_before(END, 100), tick=False):
        priya = client_for(cast.billing_contact).get("/").content.decode()
        admin = client_for(cast.brand_admin).get("/").content.decode()
    assert "contract 40017777" in priya and "contract 40018888" not in priya
    assert "contract 40017777" in admin and "contract 40018888" in admin


def test_no_banner_once_the_contract_has_ended(client_for, cast, contract):
    with time_machine.travel(days_before(END, -1), tick=False):
        assert not banner_on(client_for(cast.brand_admin))


@pytest.mark.parametrize("persona", ["brand_admin", "billing_contact"])
def test_home_with_banners_stays_within_the_query_budget_at_1_and_at_20_contracts(
    client_for, cast, count_queries, persona
):
    client = client_for(getattr(cast, persona))

    def add(count):
        for _ in range(count):
            made = ContractFactory(organization=cast.northwind, ends_in_days=120)
            ContractContactFactory(contract=made, role="billing", email=cast.billing_contact.email)
            ContractContactFactory(contract=made, role="primary")

    add(1)
    client.get("/")
    one = count_queries(lambda: client.get("/"))
    add(19)
    html = client.get("/").content.decode()
    assert html.count(BANNER) == 20
    assert count_queries(lambda: client.get("/")) == one <= 12
