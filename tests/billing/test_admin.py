"""ADM-1, ADM-3, ADM-4 for billing: contracts with licenses and contacts inline, the window and
confirmation filters, staff edits stamped and historized, least privilege per group."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from billing.models import ContactConfirmation, ContractContact, ContractReminder
from hub.staff import ACCOUNT_SERVICES, CUSTOMER_SUCCESS, SUPPORT_AGENTS, sync_staff_groups

from ..factories import StaffUserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:billing_contract_changelist")


@pytest.fixture
def staff():
    sync_staff_groups()

    def member(group=None, **fields):
        user = StaffUserFactory(**fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return member


def listed(html):
    return set(re.findall(r"/admin/billing/contract/\d+/change/[^>]*>(\d+)<", html))


def test_window_and_confirmation_filters(client_for, cast, contracts, staff):
    client = client_for(staff(is_superuser=True))
    everything = listed(client.get(CHANGELIST).content.decode())
    assert everything == {c.contract_number for c in [*contracts.northwind, contracts.outsider]}
    assert listed(client.get(CHANGELIST, {"window": "150"}).content.decode()) == {
        contracts.ending_in_140.contract_number, contracts.ending_in_100.contract_number,
        contracts.outsider.contract_number}
    assert listed(client.get(CHANGELIST, {"window": "120"}).content.decode()) == {
        contracts.ending_in_100.contract_number}
    ContactConfirmation.objects.create(contract=contracts.ending_in_140, cycle=contracts.ending_in_140.end_date,
                                       method="confirmed")
    ContactConfirmation.objects.create(contract=contracts.ending_in_400, cycle=contracts.ending_in_100.end_date,
                                       method="confirmed")
    assert listed(client.get(CHANGELIST, {"confirmed": "yes"}).content.decode()) == {
        contracts.ending_in_140.contract_number}
    assert contracts.ending_in_400.contract_number in listed(
        client.get(CHANGELIST, {"confirmed": "no"}).content.decode())
    assert client.get(CHANGELIST, {"q": "lee.park@northwind.example"}).status_code == 200


def test_the_change_page_has_licenses_contacts_and_confirmations_inline(client_for, cast, contracts, staff):
    client = client_for(staff(is_superuser=True))
    url = reverse("admin:billing_contract_change", args=[contracts.ending_in_100.pk])
    html = client.get(url).content.decode()
    assert "licenses-TOTAL_FORMS" in html and "contacts-TOTAL_FORMS" in html and "confirmations-TOTAL_FORMS" in html
    assert "priya.nair@northwind.example" in html
    assert client.get(reverse("admin:billing_contract_history", args=[contracts.ending_in_100.pk])).status_code == 200


def _inline_post(client, contract, **billing_changes):
    url = reverse("admin:billing_contract_change", args=[contract.pk])
    html = client.get(url).content.decode()
    data = {
        "contract_number": contract.contract_number, "organization": contract.organization_id,
        "start_date": contract.start_date.isoformat(), "end_date": contract.end_date.isoformat(),
    }
    lines = list(contract.licenses.all())
    data.update({"licenses-TOTAL_FORMS": len(lines), "licenses-INITIAL_FORMS": len(lines),
                 "licenses-MIN_NUM_FORMS": 1, "licenses-MAX_NUM_FORMS": 1000})
    for index, line in enumerate(lines):
        data.update({f"licenses-{index}-id": line.pk, f"licenses-{index}-contract": contract.pk,
                     f"licenses-{index}-product": line.product, f"licenses-{index}-quantity": line.quantity})
    contacts = list(contract.contacts.order_by("role"))
    data.update({"contacts-TOTAL_FORMS": len(contacts), "contacts-INITIAL_FORMS": len(contacts),
                 "contacts-MIN_NUM_FORMS": 0, "contacts-MAX_NUM_FORMS": 2})
    for index, contact in enumerate(contacts):
        values = {"first_name": contact.first_name, "last_name": contact.last_name, "email": contact.email,
                  "role": contact.role}
        if contact.role == "billing":
            values.update(billing_changes)
        data.update({f"contacts-{index}-{key}": value for key, value in values.items()})
        data.update({f"contacts-{index}-id": contact.pk, f"contacts-{index}-contract": contract.pk})
    data.update({"confirmations-TOTAL_FORMS": 0, "confirmations-INITIAL_FORMS": 0,
                 "confirmations-MIN_NUM_FORMS": 0, "confirmations-MAX_NUM_FORMS": 1000})
    assert "csrfmiddlewaretoken" in html
    return client.post(url, data)


def test_account_services_edit_contacts_inline_stamped_versioned_and_historized(client_for, cast, contracts, staff):
    agent = staff(ACCOUNT_SERVICES, first_name="Noah", last_name="Williams")
    client = client_for(agent)
    response = _inline_post(client, contracts.ending_in_100, email="billing@northwind.example")
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = ContractContact.objects.get(contract=contracts.ending_in_100, role="billing")
    assert contact.email == "billing@northwind.example"
    assert (contact.updated_by, contact.version) == (agent, 2)
    assert contact.history.latest().history_user == agent
    primary = ContractContact.objects.get(contract=contracts.ending_in_100, role="primary")
    assert primary.version == 1 and primary.updated_by is None
    history = client.get(reverse("admin:billing_contractcontact_history", args=[contact.pk]))
    assert history.status_code == 200 and "billing@northwind.example" in history.content.decode()


def test_customer_success_may_look_but_not_change(client_for, cast, contracts, staff):
    client = client_for(staff(CUSTOMER_SUCCESS))
    assert client.get(CHANGELIST).status_code == 200
    response = _inline_post(client, contracts.ending_in_100, email="billing@northwind.example")
    assert response.status_code == 403
    assert ContractContact.objects.get(contract=contracts.ending_in_100, role="billing").version == 1


def test_support_agents_do_not_see_contracts(client_for, cast, contracts, staff):
    assert client_for(staff(SUPPORT_AGENTS)).get(CHANGELIST).status_code == 403


def test_reminders_and_confirmations_are_read_only_records(client_for, cast, contracts, staff):
    ContractReminder.objects.create(contract=contracts.ending_in_140, kind="billing_contacts_150",
                                    cycle=contracts.ending_in_140.end_date, recipient_email="lee.park@northwind.example")
    client = client_for(staff(ACCOUNT_SERVICES))
    html = client.get(reverse("admin:billing_contractreminder_changelist")).content.decode()
    assert "lee.park@northwind.example" in html
    assert client.get(reverse("admin:billing_contractreminder_add")).status_code == 403
    assert client.get(reverse("admin:billing_contactconfirmation_changelist")).status_code == 200
