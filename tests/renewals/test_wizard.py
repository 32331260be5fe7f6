"""REN-2..7: the renewal wizard — steps in order, one URL each, htmx panels, Back and the step
header, contacts as the billing records, submission once, not renewing, invoiced read-only."""

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from billing.models import ContactConfirmation, ContractContact
from hub.models import OutboundEmail
from renewals.models import STEPS, Renewal, invoice_send_date
from renewals.services import mark_renewal_invoiced

from ..factories import ContractContactFactory, ContractFactory, StaffUserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
ADDRESS = {
    "shipping_address_action": "changed", "shipping_company": "Northwind Analytics",
    "shipping_street": "1 Harbour Way", "shipping_postal_code": "20095", "shipping_city": "Hamburg",
    "shipping_country": "DE",
    "billing_address_action": "changed", "billing_company": "Northwind Analytics",
    "billing_street": "PO Box 12", "billing_postal_code": "20001", "billing_city": "Hamburg",
    "billing_country": "DE",
}


def url(contract, step):
    return reverse("renewals:step", kwargs={"contract_number": contract.contract_number, "step": step})


def summary(contract):
    return reverse("renewals:summary", kwargs={"contract_number": contract.contract_number})


def submit_url(contract):
    return reverse("renewals:submit", kwargs={"contract_number": contract.contract_number})


def contact(contract, role):
    return ContractContact.objects.get(contract=contract, role=role)


def answers(contract):
    return {
        "intent": {"intent": "renew"},
        "primary": {"action": "confirm", "version": contact(contract, "primary").version},
        "billing": {"action": "confirm", "version": contact(contract, "billing").version},
        "po": {"po_number": "PO-4711"},
        "addresses": ADDRESS,
        "instructions": {"no_instructions": "on"},
    }


def complete_steps(client, contract, through="instructions"):
    for step, data in answers(contract).items():
        response = client.post(url(contract, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        if step == through:
            return


@pytest.fixture
def contract(contracts):
    return contracts.ending_in_100


@pytest.mark.django_db
def test_billing_contact_completes_the_wizard_without_javascript(client_for, cast, contract, django_capture_on_commit_callbacks):
    client = client_for(cast.billing_contact)
    assert client.get(reverse("renewals:start", kwargs={"contract_number": "40018232"}))["Location"] == url(contract, "intent")
    expected_next = ["primary", "billing", "po", "addresses", "instructions", "review"]
    for (step, data), following in zip(answers(contract).items(), expected_next, strict=True):
        response = client.post(url(contract, step), data)
        assert response.status_code == 302 and response["Location"] == url(contract, following), step
    review = client.get(url(contract, "review")).content.decode()
    for step in ("intent", "primary", "billing", "po", "addresses", "instructions"):
        assert f'href="{url(contract, step)}"' in review
    assert "PO-4711" in review, review
    assert "1 Harbour Way" in review
    assert "Confirm & submit" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(contract))
    assert response["Location"] == summary(contract)
    renewal = Renewal.objects.get(contract=contract)
    assert renewal.status == "submitted" and renewal.submitted_by == cast.billing_contact
    assert renewal.invoice_email == cast.billing_contact.email
    assert renewal.invoice_send_date == invoice_send_date(renewal_date=contract.end_date,
                                                          submitted_on=timezone.localdate())
    page = client.get(summary(contract)).content.decode()
    assert "Your renewal is submitted" in page and cast.billing_contact.email in page
    assert date_format(renewal.invoice_send_date, "DATE_FORMAT") in page
    # REN-6: the submitter and both contacts (the brand admin is the primary contact), Reply-To AS.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.billing_contact.email, cast.brand_admin.email])
    assert all(m.reply_to == [settings.HUB_ACCOUNT_SERVICES_EMAIL] for m in mail.outbox)
    assert all(m.alternatives for m in mail.outbox)
    assert "Your renewal of contract 40018232 is submitted" == mail.outbox[0].subject
    assert renewal.history.count() == 7


@pytest.mark.django_db
def test_each_step_shows_the_header_back_and_who_last_updated(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract, through="po")
    html = client.get(url(contract, "billing")).content.decode()
    assert 'aria-current="step"' in html
    assert html.count("steps__item--done") == 4
    assert f'href="{url(contract, "primary")}"' in html  # Back, and the header link
    assert f'href="{url(contract, "addresses")}"' in html  # the next step to do
    assert f'href="{url(contract, "instructions")}"' not in html
    assert "last updated on" in html and "by Priya Nair" in html


@pytest.mark.django_db
def test_posting_a_later_step_first_is_refused_and_saves_nothing(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    response = client.post(url(contract, "addresses"), ADDRESS)
    assert response.status_code == 409
    assert "Please complete this step first." in response.content.decode()
    assert not Renewal.objects.exists()
    assert client.get(url(contract, "po"))["Location"] == url(contract, "intent")
    client.post(url(contract, "intent"), {"intent": "renew"})
    assert client.post(submit_url(contract)).status_code == 409
    assert Renewal.objects.get().status == "in_progress"


@pytest.mark.django_db
def test_bad_input_is_shown_at_the_field_with_422_and_htmx_swaps_the_panel(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    response = client.post(url(contract, "intent"), {"intent": "not_renewing", "reason": " "}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="renewal-panel"') and "<html" not in html
    assert "Tell us why you are not renewing." in html
    response = client.post(url(contract, "intent"), {"intent": "renew"}, **HTMX)
    assert response.status_code == 200 and response["HX-Push-Url"] == url(contract, "primary")
    assert 'aria-current="step"' in response.content.decode()
    complete_steps(client, contract, through="billing")
    response = client.post(url(contract, "po"), {"po_number": "PO-1", "no_po_needed": "on"})
    assert response.status_code == 422 and "not both" in response.content.decode()
    client.post(url(contract, "po"), {"no_po_needed": "on"})
    response = client.post(url(contract, "addresses"), {"shipping_address_action": "changed"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter the street address." in html and "Choose the country." in html
    assert Renewal.objects.get().completed_steps == 4


@pytest.mark.django_db
def test_the_billing_contact_edited_in_the_wizard_is_the_billing_record(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract, through="primary")
    before = contact(contract, "billing")
    response = client.post(url(contract, "billing"), {
        "action": "edit", "first_name": "Priya", "last_name": "Nair-Shah", "email": cast.billing_contact.email,
        "version": before.version})
    assert response.status_code == 302
    after = contact(contract, "billing")
    assert after.pk == before.pk and after.last_name == "Nair-Shah" and after.updated_by == cast.billing_contact
    assert ContractContact.objects.filter(contract=contract).count() == 2
    billing_page = client.get(reverse("billing:contract_detail", kwargs={"contract_number": "40018232"}))
    assert "Nair-Shah" in billing_page.content.decode()
    # Inside the 150-day window, the wizard's edit also confirms the contacts (BILL-9).
    assert ContactConfirmation.objects.filter(contract=contract, cycle=contract.end_date).exists()
    stale = client.post(url(contract, "billing"), {
        "action": "edit", "first_name": "X", "last_name": "Y", "email": "x@northwind.example",
        "version": before.version})
    assert stale.status_code == 422 and "Someone changed this contact" in stale.content.decode()
    missing = client.post(url(contract, "primary"), {"action": "edit", "first_name": "", "last_name": "",
                                                     "email": "nope", "version": 1})
    assert missing.status_code == 422 and "Enter a first name." in missing.content.decode()


@pytest.mark.django_db
def test_leaving_and_returning_resumes_and_edits_from_review_return_to_review(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract, through="po")
    start = reverse("renewals:start", kwargs={"contract_number": contract.contract_number})
    assert client.get(start)["Location"] == url(contract, "addresses")
    complete_steps(client, contract)
    response = client.post(url(contract, "po"), {"po_number": "PO-9"})
    assert response["Location"] == url(contract, "review")
    assert Renewal.objects.get().po_number == "PO-9"


@pytest.mark.django_db
def test_not_renewing_ends_the_flow_and_tells_the_account_team(client_for, cast, contract, django_capture_on_commit_callbacks):
    client = client_for(cast.billing_contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(contract, "intent"), {"intent": "not_renewing", "reason": "Budget cut"})
    assert response["Location"] == summary(contract)
    renewal = Renewal.objects.get()
    assert (renewal.status, renewal.intent, renewal.not_renewing_reason) == ("submitted", "not_renewing", "Budget cut")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.ae.email, cast.csm.email])
    assert "Budget cut" in mail.outbox[0].body and mail.outbox[0].reply_to == [cast.billing_contact.email]
    page = client.get(summary(contract)).content.decode()
    assert "Thank you for letting us know" in page
    assert client.get(url(contract, "po"))["Location"] == summary(contract)


def _submit_in_thread(user_pk, contract, results, barrier):
    from hub.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_pk))
    barrier.wait()
    try:
        results.append(client.post(submit_url(contract)).status_code)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_create_one_submission(cast, contract, client_for):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract)
    results, barrier = [], threading.Barrier(2)
    threads = [threading.Thread(target=_submit_in_thread, args=(cast.billing_contact.pk, contract, results, barrier))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302]
    renewal = Renewal.objects.get()
    assert renewal.status == "submitted"
    assert renewal.history.filter(status="submitted").count() == 1
    assert OutboundEmail.objects.filter(template="renewals/submitted").count() == 2
    # A replayed POST later changes nothing either.
    assert client.post(submit_url(contract)).status_code == 302
    assert OutboundEmail.objects.filter(template="renewals/submitted").count() == 2


@pytest.mark.django_db
def test_invoiced_renewal_is_read_only_and_contact_edits_no_longer_apply(client_for, cast, contract):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract)
    client.post(submit_url(contract))
    staff = StaffUserFactory()
    staff.user_permissions.add(*__import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.filter(
        codename="change_renewal"))
    staff = type(staff).objects.get(pk=staff.pk)
    renewal = mark_renewal_invoiced(actor=staff, renewal=Renewal.objects.get())
    assert renewal.status == "invoiced" and renewal.frozen_contacts["billing"]["email"] == cast.billing_contact.email
    billing = contact(contract, "billing")
    billing.email = "new.ap@northwind.example"
    billing.save()
    page = client_for(cast.brand_admin).get(summary(contract)).content.decode()
    assert "has been invoiced and can no longer be changed here" in page
    assert settings.HUB_ACCOUNT_SERVICES_EMAIL in page
    assert cast.billing_contact.email in page and "new.ap@northwind.example" not in page
    client = client_for(cast.brand_admin)
    assert client.get(url(contract, "po"))["Location"] == summary(contract)
    client.post(url(contract, "po"), {"po_number": "CHANGED"})
    assert Renewal.objects.get().po_number == "PO-4711"


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_mark_invoiced(cast, contract, client_for):
    complete_steps(client_for(cast.billing_contact), contract)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mark_renewal_invoiced(actor=StaffUserFactory(), renewal=Renewal.objects.get())


@pytest.mark.django_db
@pytest.mark.parametrize("step", STEPS)
def test_every_step_stays_within_the_query_budget_at_1_and_20_contracts(client_for, cast, contract, count_queries, step):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract)
    target = url(contract, step)
    client.get(target)
    one = count_queries(lambda: client.get(target))
    for index in range(19):
        extra = ContractFactory(organization=cast.northwind, contract_number=f"4100{index:04d}", ends_in_days=50 + index)
        ContractContactFactory(contract=extra, role="billing", email=cast.billing_contact.email)
    twenty = count_queries(lambda: client.get(target))
    assert one == twenty <= 12, (one, twenty)


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_naming_someone_else_instead_of_oneself_leaves_the_wizard_for_home(client_for, cast, contract, headers):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract, through="primary")
    response = client.post(url(contract, "billing"), {
        "action": "edit", "first_name": "Accounts", "last_name": "Payable", "email": "ap@northwind.example",
        "version": contact(contract, "billing").version}, **headers)
    target = response.get("HX-Redirect") or response["Location"]
    assert target == reverse("hub:home")
    assert contact(contract, "billing").email == "ap@northwind.example"
    assert Renewal.objects.get().completed_steps == 3
    assert "You are no longer a contact of contract 40018232" in client.get(target).content.decode()


@pytest.mark.django_db
def test_the_confirmation_email_is_in_each_recipients_language(client_for, cast, contract, django_capture_on_commit_callbacks):
    cast.brand_admin.language = "de"
    cast.brand_admin.save(update_fields=["language"])
    client = client_for(cast.billing_contact)
    complete_steps(client, contract)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(contract))
    german = OutboundEmail.objects.get(template="renewals/submitted", to_email=cast.brand_admin.email)
    english = OutboundEmail.objects.get(template="renewals/submitted", to_email=cast.billing_contact.email)
    assert german.subject == "Ihre Verlängerung von Vertrag 40018232 ist eingereicht"
    assert english.subject == "Your renewal of contract 40018232 is submitted"
    assert "Die Rechnung wird am" in german.body_text and german.body_html
    assert german.reply_to == english.reply_to == settings.HUB_ACCOUNT_SERVICES_EMAIL


@pytest.mark.django_db
def test_the_summary_stays_within_the_query_budget_at_1_and_20_contracts(client_for, cast, contract, count_queries):
    client = client_for(cast.billing_contact)
    complete_steps(client, contract, through="review")
    client.post(submit_url(contract))
    client.get(summary(contract))
    one = count_queries(lambda: client.get(summary(contract)))
    for index in range(19):
        extra = ContractFactory(organization=cast.northwind, contract_number=f"4100{index:04d}", ends_in_days=50 + index)
        ContractContactFactory(contract=extra, role="billing", email=cast.billing_contact.email)
    twenty = count_queries(lambda: client.get(summary(contract)))
    assert one == twenty <= 12, (one, twenty)


@pytest.mark.django_db
def test_a_brand_admin_who_is_no_contact_cannot_submit(client_for, cast):
    contract = ContractFactory(organization=cast.northwind, contract_number="40019999", ends_in_days=90)
    ContractContactFactory(contract=contract, role="primary", email=cast.standard_user.email)
    ContractContactFactory(contract=contract, role="billing", email="ap@northwind.example")
    assert client_for(cast.brand_admin).post(submit_url(contract)).status_code == 403
    assert not Renewal.objects.filter(contract=contract, status="submitted").exists()
