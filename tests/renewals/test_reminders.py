"""REN-8, the 120-day half: "prepare your renewal" to a contract's contacts when it enters the
120-day window — once per contract, contact and cycle, through billing's shared reminder job."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from billing.models import ContractReminder
from billing.reminders import send_due_reminders
from billing.tasks import send_contract_reminders
from hub.models import OutboundEmail
from renewals.models import Renewal

from ..factories import ContractContactFactory, ContractFactory

END = date(2027, 6, 30)
BERLIN = ZoneInfo("Europe/Berlin")
KIND = "renewal_prepare_120"


def at(days, end=END):
    return datetime.combine(end - timedelta(days=days), time(14, 0), tzinfo=BERLIN)


def make_contract(organization, number, end=END, primary="lee.park@northwind.example",
                  billing="accounts.payable@northwind.example"):
    contract = ContractFactory(organization=organization, contract_number=number, end_date=end,
                               start_date=end - timedelta(days=364))
    ContractContactFactory(contract=contract, role="primary", first_name="Lee", last_name="Park", email=primary)
    ContractContactFactory(contract=contract, role="billing", first_name="Accounts", last_name="Payable",
                           email=billing)
    return contract


def prepare_emails():
    return OutboundEmail.objects.filter(template="renewals/prepare_reminder")


@pytest.mark.django_db
def test_nothing_at_121_days_then_each_contact_once_at_120(cast, django_capture_on_commit_callbacks):
    cast.northwind.billing_contacts_enabled = False  # only the 120-day kind applies
    cast.northwind.save(update_fields=["billing_contacts_enabled"])
    make_contract(cast.northwind, "40016001")
    with time_machine.travel(at(121), tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(at(120), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["accounts.payable@northwind.example", "lee.park@northwind.example"]
    message = mail.outbox[0]
    assert message.subject == "Prepare the renewal of contract 40016001"
    assert f"{settings.HUB_PUBLIC_URL}/renewals/40016001/" in message.body
    with time_machine.travel(at(119), tick=False):
        assert send_due_reminders() == 0


@pytest.mark.django_db
def test_the_daily_job_run_twice_a_day_over_a_range_of_days_sends_exactly_the_expected_emails(cast):
    """Days 160 → 100, twice each day, three contracts: Northwind's (billing-contacts feature on:
    the 150-day and the 120-day email to both contacts), one whose contacts are the same person
    (one address), and one of an organization without the feature (120-day only). A run missing
    days 121..115 catches up."""
    make_contract(cast.northwind, "40016002")
    make_contract(cast.northwind, "40016003", primary="same@northwind.example", billing="SAME@northwind.example")
    make_contract(cast.solo, "40016004", primary="a@solo.example", billing="b@solo.example")
    for days in range(160, 99, -1):
        if 115 <= days <= 121:
            continue
        with time_machine.travel(at(days), tick=False):
            send_contract_reminders.apply()
            send_contract_reminders.apply()
    assert prepare_emails().count() == 2 + 1 + 2
    assert OutboundEmail.objects.filter(template="billing/contacts_confirm_reminder").count() == 2 + 1
    assert ContractReminder.objects.filter(kind=KIND).count() == 5
    assert set(ContractReminder.objects.filter(kind=KIND).values_list("cycle", flat=True)) == {END}


@pytest.mark.django_db
def test_a_renewal_already_submitted_gets_no_reminder_and_a_new_cycle_starts_afresh(cast):
    contract = make_contract(cast.northwind, "40016005")
    Renewal.objects.create(contract=contract, cycle=END, status="submitted", intent="renew",
                           submitted_at=at(130))
    with time_machine.travel(at(110), tick=False):
        send_due_reminders()
    assert not prepare_emails().exists()
    # Staff renew the contract: the next cycle's window brings a new reminder.
    next_end = END + timedelta(days=365)
    contract.start_date, contract.end_date = END + timedelta(days=1), next_end
    contract.save()
    with time_machine.travel(at(120, next_end), tick=False):
        send_due_reminders()
    assert prepare_emails().count() == 2


@pytest.mark.django_db
def test_the_reminder_is_in_the_recipients_language(cast):
    cast.billing_contact.language = "de"
    cast.billing_contact.save(update_fields=["language"])
    make_contract(cast.northwind, "40016006", billing=cast.billing_contact.email)
    with time_machine.travel(at(100), tick=False):
        send_due_reminders()
    german = prepare_emails().get(to_email=cast.billing_contact.email)
    assert german.language == "de" and "Verlängerung" in german.subject
