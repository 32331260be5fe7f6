"""BILL-6, BILL-7, BILL-8, ADM-4: editing a contract's primary and billing contacts, optimistic
locking, who-and-when, and the history staff see."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billing.models import ContactConfirmation, ContractContact
from billing.services import ContactChangedError, add_contract_contact, update_contract_contact
from hub.models import User

from ..factories import ContractContactFactory, ContractFactory, StaffUserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(contract, role="billing"):
    return reverse("billing:contact_edit", kwargs={"contract_number": contract.contract_number, "role": role})


def contact_of(contract, role="billing"):
    return ContractContact.objects.get(contract=contract, role=role)


def form_data(contact, **changes):
    data = {"first_name": contact.first_name, "last_name": contact.last_name, "email": contact.email,
            "version": contact.version}
    return {**data, **changes}


@pytest.mark.django_db
def test_brand_admin_edits_the_billing_contact_without_javascript(client_for, cast, contracts):
    contract = contracts.ending_in_400
    client = client_for(cast.brand_admin)
    form = client.get(edit_url(contract)).content.decode()
    assert 'name="version" value="1"' in form and "Accounts" in form
    response = client.post(edit_url(contract), form_data(
        contact_of(contract), first_name="Finance", last_name="Team", email="finance@NORTHWIND.example"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/profile/billing/{contract.contract_number}/#contact-billing")
    contact = contact_of(contract)
    assert (contact.first_name, contact.last_name, contact.email) == ("Finance", "Team", "finance@northwind.example")
    assert contact.version == 2
    assert contact.updated_by == cast.brand_admin
    page = client.get(response["Location"]).content.decode()
    assert "Billing contact saved. It applies at once to your next renewal that has not been invoiced yet." in page
    assert "by Alex Morgan" in page


@pytest.mark.django_db
def test_htmx_edit_swaps_the_card_for_the_form_and_back_to_the_refreshed_contract(client_for, cast, contracts):
    contract = contracts.ending_in_400
    client = client_for(cast.brand_admin)
    form = client.get(edit_url(contract), **HTMX).content.decode()
    assert form.lstrip().startswith('<article id="contact-billing"')
    assert "<html" not in form
    response = client.post(edit_url(contract), form_data(contact_of(contract), first_name="Payables"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#contract-panel"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<div id="contract-panel"')
    assert 'role="status"' in html and "Billing contact saved." in html
    assert "Payables Payable" in html and "by Alex Morgan" in html
    cancel = client.get(
        reverse("billing:contact_detail", kwargs={"contract_number": contract.contract_number, "role": "billing"}),
        **HTMX,
    ).content.decode()
    assert cancel.lstrip().startswith('<article id="contact-billing"') and "Payables Payable" in cancel


@pytest.mark.django_db
def test_cancel_without_javascript_returns_to_the_contract(client_for, cast, contracts):
    url = reverse("billing:contact_detail", kwargs={"contract_number": contracts.ending_in_400.contract_number,
                                                    "role": "primary"})
    response = client_for(cast.brand_admin).get(url)
    assert response.status_code == 302 and response["Location"].endswith("#contact-primary")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": "  "}, "first_name", "Enter a first name."),
        ({"last_name": ""}, "last_name", "Enter a last name."),
        ({"email": ""}, "email", "Enter an email address."),
        ({"email": "accounts payable@northwind"}, "email", "Enter a valid email address"),
        ({"first_name": "Eve<script>"}, "first_name", "Use letters, spaces and ordinary punctuation only."),
        ({"last_name": "Line\nbreak"}, "last_name", "Use letters, spaces and ordinary punctuation only."),
        ({"first_name": "x" * 101}, "first_name", "at most 100 characters"),
    ],
)
def test_bad_input_is_explained_at_the_field_and_nothing_changes(client_for, cast, contracts, changes, field, message):
    contract = contracts.ending_in_400
    before = contact_of(contract)
    for headers in ({}, HTMX):
        response = client_for(cast.brand_admin).post(edit_url(contract), form_data(before, **changes), **headers)
        html = response.content.decode()
        assert response.status_code == 422
        assert message in html
        assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
        assert 'class="error-summary"' in html
    after = contact_of(contract)
    assert (after.first_name, after.last_name, after.email, after.version) == (
        before.first_name, before.last_name, before.email, before.version)


@pytest.mark.django_db
def test_a_shared_mailbox_is_a_fine_name(client_for, cast, contracts):
    contract = contracts.ending_in_100
    response = client_for(cast.billing_contact).post(edit_url(contract, "primary"), form_data(
        contact_of(contract, "primary"), first_name="Accounts", last_name="Payable", email="ap@northwind.example"))
    assert response.status_code == 302
    assert contact_of(contract, "primary").full_name == "Accounts Payable"


@pytest.mark.django_db
def test_two_stale_forms_the_second_save_is_refused_and_the_first_edit_stays(client_for, cast, contracts):
    contract = contracts.ending_in_100
    admin = client_for(cast.brand_admin)
    loaded = contact_of(contract)
    first = form_data(loaded, first_name="Priya A.", email="priya.nair@northwind.example")
    second = form_data(loaded, first_name="Someone", last_name="Else", email="someone@northwind.example")
    assert admin.post(edit_url(contract), first).status_code == 302
    priya = Client()
    priya.force_login(cast.billing_contact)
    response = priya.post(edit_url(contract), second)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Alex Morgan changed this contact on" in html and "Priya A. Nair" in html
    assert "Nothing was saved." in html
    assert 'name="version" value="2"' in html and 'value="Someone"' in html
    contact = contact_of(contract)
    assert (contact.first_name, contact.email, contact.version) == ("Priya A.", "priya.nair@northwind.example", 2)
    # Having seen the other change, saving again replaces it knowingly.
    assert priya.post(edit_url(contract), {**second, "version": 2}).status_code == 302
    assert contact_of(contract).first_name == "Someone"


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_the_same_version_exactly_one_wins(cast, contracts):
    contract = contracts.ending_in_100
    contact = contact_of(contract)
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(username, first_name):
        actor = User.objects.get(username=username)
        barrier.wait()
        try:
            update_contract_contact(actor=actor, contact=contact, first_name=first_name, last_name="Nair",
                                    email="priya.nair@northwind.example", expected_version=1)
            outcomes[username] = "saved"
        except ContactChangedError as exc:
            outcomes[username] = exc.current.first_name
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=("brand.admin", "Alex's")),
               threading.Thread(target=save, args=("billing.contact", "Priya's"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser_saw = next(outcome for outcome in outcomes.values() if outcome != "saved")
    saved = contact_of(contract)
    assert saved.version == 2
    assert saved.first_name == loser_saw == {"brand.admin": "Alex's", "billing.contact": "Priya's"}[winner]
    assert saved.history.count() == 2


@pytest.mark.django_db
def test_every_change_leaves_a_history_row_with_who_and_what(client_for, cast, contracts):
    contract = contracts.ending_in_400
    client = client_for(cast.brand_admin)
    client.post(edit_url(contract), form_data(contact_of(contract), email="ap@northwind.example"))
    client.post(edit_url(contract), form_data(contact_of(contract), first_name="AP"))
    history = list(contact_of(contract).history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert [h.history_user for h in history[1:]] == [cast.brand_admin, cast.brand_admin]
    assert [h.email for h in history] == ["accounts.payable@northwind.example", "ap@northwind.example",
                                         "ap@northwind.example"]
    assert history[2].first_name == "AP"


@pytest.mark.django_db
def test_saving_unchanged_values_writes_no_history(cast, contracts):
    contact = contact_of(contracts.ending_in_400)
    update_contract_contact(actor=cast.brand_admin, contact=contact, first_name=contact.first_name,
                            last_name=contact.last_name, email=contact.email, expected_version=1)
    contact.refresh_from_db()
    assert contact.version == 1 and contact.history.count() == 1


@pytest.mark.django_db
def test_last_updated_says_when_and_by_whom_or_that_it_was_not_since_the_last_renewal(client_for, cast, contracts):
    contract = contracts.ending_in_400
    ContractContact.objects.filter(contract=contract, role="primary").update(
        updated_at=timezone.now() - timedelta(days=500), updated_by=cast.brand_admin)
    staff = StaffUserFactory(first_name="Noah", last_name="Williams")
    ContractContact.objects.filter(contract=contract, role="billing").update(
        updated_at=timezone.now() - timedelta(days=2), updated_by=staff)
    html = client_for(cast.brand_admin).get(
        reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number})).content.decode()
    assert "Not updated since the last renewal on" in html
    assert "by Acme Cloud Account Services" in html and "Noah" not in html


@pytest.mark.django_db
def test_a_contact_who_names_someone_else_is_warned_and_then_loses_the_contract(client_for, cast, contracts):
    contract = contracts.ending_in_100
    client = client_for(cast.billing_contact)
    assert "This contact is you." in client.get(edit_url(contract)).content.decode()
    response = client.post(edit_url(contract), form_data(
        contact_of(contract), first_name="Accounts", last_name="Payable", email="ap@northwind.example"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("hub:home")
    assert client.get(reverse("billing:contract_detail")).status_code == 404
    html = client.get("/").content.decode()
    assert "Billing contact saved." in html and "You are no longer a contact of contract 40018232" in html


@pytest.mark.django_db
def test_naming_a_missing_contact_adds_it(client_for, cast):
    contract = ContractFactory(organization=cast.northwind)
    ContractContactFactory(contract=contract, role="primary", email=cast.brand_admin.email)
    client = client_for(cast.brand_admin)
    assert 'name="version" value="0"' in client.get(edit_url(contract)).content.decode()
    response = client.post(edit_url(contract), {"first_name": "Accounts", "last_name": "Payable",
                                                "email": "ap@northwind.example", "version": 0})
    assert response.status_code == 302
    added = contact_of(contract)
    assert added.email == "ap@northwind.example" and added.updated_by == cast.brand_admin
    again = client.post(edit_url(contract), {"first_name": "Other", "last_name": "Person",
                                             "email": "other@northwind.example", "version": 0})
    assert again.status_code == 422 and "Accounts Payable" in again.content.decode()
    assert contact_of(contract).first_name == "Accounts"


@pytest.mark.django_db
def test_adding_a_contact_someone_just_added_raises_a_conflict(cast):
    contract = ContractFactory(organization=cast.northwind)
    ContractContactFactory(contract=contract, role="billing", first_name="Early")
    with pytest.raises(ContactChangedError) as caught:
        add_contract_contact(actor=cast.brand_admin, contract=contract, role="billing", first_name="Late",
                             last_name="Bird", email="late@northwind.example")
    assert caught.value.current.first_name == "Early"


@pytest.mark.django_db
def test_services_refuse_actors_who_may_not_edit(cast, contracts):
    contact = contact_of(contracts.ending_in_140)
    for actor in (cast.outsider, cast.standard_user, cast.billing_contact, StaffUserFactory()):
        with pytest.raises(PermissionDenied):
            update_contract_contact(actor=User.objects.get(pk=actor.pk), contact=contact, first_name="X",
                                    last_name="Y", email="x@y.example", expected_version=1)
    assert contact_of(contracts.ending_in_140).version == 1


@pytest.mark.django_db
def test_staff_with_the_permission_may_edit_through_the_service(cast, contracts):
    from django.contrib.auth.models import Permission

    staff = StaffUserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_contractcontact"))
    staff = User.objects.get(pk=staff.pk)
    contact = update_contract_contact(actor=staff, contact=contact_of(contracts.ending_in_140), first_name="AP",
                                      last_name="Team", email="ap@northwind.example", expected_version=1)
    assert contact.version == 2 and contact.updated_by == staff
    # Staff edits are no customer confirmation (BILL-9).
    assert not ContactConfirmation.objects.exists()


@pytest.mark.django_db
def test_edit_urls_of_contracts_not_mine_are_404_and_wrong_roles_too(client_for, cast, contracts):
    client = client_for(cast.billing_contact)
    assert client.get(edit_url(contracts.ending_in_140)).status_code == 404
    assert client.post(edit_url(contracts.ending_in_140), {}).status_code == 404
    bad_role = f"/profile/billing/{contracts.ending_in_100.contract_number}/contacts/finance/edit/"
    assert client.get(bad_role).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_edit_form_stays_within_the_query_budget_at_1_and_at_20_contracts(client_for, cast, count_queries, htmx):
    headers = HTMX if htmx else {}
    client = client_for(cast.brand_admin)

    def add(count):
        for _ in range(count):
            contract = ContractFactory(organization=cast.northwind, ends_in_days=90)
            ContractContactFactory(contract=contract, role="billing", updated_by=cast.standard_user)
            ContractContactFactory(contract=contract, role="primary")

    add(1)
    first = cast.northwind.contracts.first()
    client.get(edit_url(first), **headers)
    one = count_queries(lambda: client.get(edit_url(first), **headers))
    add(19)
    assert count_queries(lambda: client.get(edit_url(first), **headers)) == one <= 12
