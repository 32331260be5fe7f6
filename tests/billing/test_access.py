"""BILL-1, BILL-2, SEC-1: who has the billing section and which contracts they see."""

import pytest
from django.urls import reverse

from billing.access import can_edit_contacts, can_see_billing, is_contract_contact
from billing.models import Contract
from billing.selectors import contracts_visible_to
from hub import demo as hub_demo
from hub.models import User

from ..factories import (
    BrandAdminFactory,
    ContractContactFactory,
    ContractFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BILLING_MENU = f'href="{reverse("billing:contract_detail")}"'


def billing_urls(number):
    """Every billing URL, with the method that serves it."""
    kwargs = {"contract_number": number}
    return [
        ("get", reverse("billing:contract_detail")),
        ("get", f'{reverse("billing:contract_detail")}?contract={number}'),
        ("get", reverse("billing:contract_detail", kwargs=kwargs)),
        ("get", reverse("billing:contact_detail", kwargs={**kwargs, "role": "billing"})),
        ("get", reverse("billing:contact_edit", kwargs={**kwargs, "role": "billing"})),
        ("post", reverse("billing:contact_edit", kwargs={**kwargs, "role": "primary"})),
        ("post", reverse("billing:contacts_confirm", kwargs=kwargs)),
        ("get", f'{reverse("billing:question_create")}?contract={number}'),
        ("post", reverse("billing:question_create")),
    ]


def test_brand_admin_sees_all_three_contracts_and_the_switcher(client_for, cast, contracts):
    client = client_for(cast.brand_admin)
    html = client.get(reverse("billing:contract_detail")).content.decode()
    assert 'id="contract-switcher"' in html
    for contract in contracts.northwind:
        assert f'<option value="{contract.contract_number}"' in html
    assert contracts.outsider.contract_number not in html
    assert list(contracts_visible_to(cast.brand_admin)) == contracts.northwind


def test_billing_contact_sees_only_their_contract_and_no_switcher(client_for, cast, contracts):
    client = client_for(cast.billing_contact)
    response = client.get(reverse("billing:contract_detail"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="contract-switcher"' not in html
    assert f"Contract {contracts.ending_in_100.contract_number}" in html
    assert contracts.ending_in_140.contract_number not in html
    assert list(contracts_visible_to(cast.billing_contact)) == [contracts.ending_in_100]
    assert BILLING_MENU in client.get(reverse("profiles:account_detail")).content.decode()


def test_standard_user_has_no_menu_entry_and_404_on_every_billing_url(client_for, cast, contracts):
    client = client_for(cast.standard_user)
    assert BILLING_MENU not in client.get(reverse("profiles:account_detail")).content.decode()
    assert "Billing details" not in client.get("/").content.decode()
    for method, url in billing_urls(contracts.ending_in_100.contract_number):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_admin_of_another_organization_gets_404_for_northwinds_contract_numbers(client_for, cast, contracts):
    client = client_for(cast.outsider)
    assert client.get(reverse("billing:contract_detail")).status_code == 200
    for contract in contracts.northwind:
        for method, url in billing_urls(contract.contract_number)[1:-2]:
            assert getattr(client, method)(url).status_code == 404, (method, url)
    response = client.post(
        reverse("billing:question_create"),
        {"contract": contracts.ending_in_100.contract_number, "subject": "Invoice", "message": "Which invoice is it?"},
    )
    assert response.status_code == 422


def test_contact_guessing_another_contract_number_of_their_own_organization_gets_404(client_for, cast, contracts):
    client = client_for(cast.billing_contact)
    for method, url in billing_urls(contracts.ending_in_140.contract_number)[1:-2]:
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert client.get(reverse("billing:contract_detail", kwargs={"contract_number": "99999999"})).status_code == 404


@pytest.mark.parametrize("persona", ["fedramp_user", "free_user", "fedramp_admin"])
def test_users_without_contracts_or_admin_role_elsewhere_see_no_contracts(client_for, cast, contracts, persona):
    user = getattr(cast, persona)
    response = client_for(user).get(reverse("billing:contract_detail"))
    assert response.status_code == (200 if user.is_brand_admin else 404)
    assert not contracts_visible_to(user).exists()


def test_staff_are_not_customers_and_get_404(client_for, cast, contracts):
    staff = StaffUserFactory(is_superuser=True)
    assert not can_see_billing(staff)
    assert client_for(staff).get(reverse("billing:contract_detail")).status_code == 404


def test_contact_email_matches_ignoring_case(cast):
    contract = ContractFactory(organization=cast.northwind)
    ContractContactFactory(contract=contract, role="billing", email="Sam.RIVERA@Northwind.example")
    user = User.objects.get(pk=cast.standard_user.pk)
    assert is_contract_contact(user)
    assert list(Contract.objects.visible_to(user)) == [contract]


def test_being_named_on_another_organizations_contract_gives_no_access(cast):
    foreign = ContractFactory(organization=cast.other)
    ContractContactFactory(contract=foreign, role="billing", email=cast.standard_user.email)
    user = User.objects.get(pk=cast.standard_user.pk)
    assert not is_contract_contact(user)
    assert not can_see_billing(user)
    assert not Contract.objects.visible_to(user).exists()


def test_user_without_email_sees_nothing(cast, contracts):
    user = UserFactory(organization=cast.northwind, email="")
    assert not is_contract_contact(user)
    assert not Contract.objects.visible_to(user).exists()


def test_who_may_edit_contacts(cast, contracts):
    def fresh(user):
        return User.objects.get(pk=user.pk)

    assert can_edit_contacts(fresh(cast.brand_admin), contracts.ending_in_140)
    assert can_edit_contacts(fresh(cast.billing_contact), contracts.ending_in_100)
    assert not can_edit_contacts(fresh(cast.billing_contact), contracts.ending_in_140)
    assert not can_edit_contacts(fresh(cast.outsider), contracts.ending_in_100)
    cast.northwind.billing_contacts_enabled = False
    cast.northwind.save(update_fields=["billing_contacts_enabled"])
    assert not can_edit_contacts(fresh(cast.brand_admin), Contract.objects.get(pk=contracts.ending_in_140.pk))


def test_access_rules_cost_one_query_per_request(cast, contracts, django_assert_num_queries):
    user = User.objects.select_related("organization").get(pk=cast.billing_contact.pk)
    with django_assert_num_queries(1):
        assert can_see_billing(user)
        assert is_contract_contact(user)
        assert can_see_billing(user)


def test_brand_admin_of_an_organization_without_contracts_sees_an_empty_section(client_for, cast):
    admin = BrandAdminFactory(organization=cast.civic)
    html = client_for(admin).get(reverse("billing:contract_detail")).content.decode()
    assert "No contracts yet" in html
    assert "Questions about your quote or invoice?" in html


class _Quiet:
    def write(self, text):
        pass


def test_demo_data_gives_each_persona_what_the_issue_describes(client_for):
    from billing import demo as billing_demo

    hub_demo.seed(_Quiet())
    billing_demo.seed(_Quiet())
    billing_demo.seed(_Quiet())  # idempotent

    def user(username):
        return User.objects.get(username=username)

    northwind = list(contracts_visible_to(user("brand.admin")))
    assert [c.days_until_end() for c in northwind] == [100, 140, 400]
    assert [c.contract_number for c in contracts_visible_to(user("billing.contact"))] == [northwind[0].contract_number]
    assert {c.email for c in northwind[0].contacts.filter(role="billing")} == {"priya.nair@northwind.example"}
    assert not contracts_visible_to(user("standard.user")).exists()
    assert contracts_visible_to(user("nocsm.admin")).count() == 1
    bakery = contracts_visible_to(user("selfservice.admin")).get()
    assert not bakery.organization.billing_contacts_enabled
    assert Contract.objects.count() == 5
    html = client_for(user("brand.admin")).get(reverse("billing:contract_detail")).content.decode()
    assert "by Alex Morgan" not in html  # the soonest contract's contacts were never updated
    html = client_for(user("brand.admin")).get(
        reverse("billing:contract_detail", kwargs={"contract_number": northwind[1].contract_number})
    ).content.decode()
    assert "by Alex Morgan" in html
