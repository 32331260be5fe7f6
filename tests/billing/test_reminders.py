"""REN-8 (the 150-day half) and the generic contract window reminders: exactly once per contract,
contact and cycle, even when the job runs twice, crashes midway or missed days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction

from billing import reminders
from billing.models import ContactConfirmation, Contract, ContractReminder
from billing.reminders import ReminderKind, register_reminder_kind, send_due_reminders
from billing.tasks import send_contract_reminders
from hub.models import OutboundEmail

from ..conftest import wait_for
from ..factories import ContractContactFactory, ContractFactory, OrganizationFactory, UserFactory

END = date(2027, 6, 30)
BERLIN = ZoneInfo("Europe/Berlin")
KIND = "billing_contacts_150"


def days_before(end, days, at=time(14, 0)):
    return datetime.combine(end - timedelta(days=days), at, tzinfo=BERLIN)


def make_contract(organization, number, end=END, primary="lee.park@northwind.example",
                  billing="accounts.payable@northwind.example"):
    contract = ContractFactory(organization=organization, contract_number=number, end_date=end,
                               start_date=end - timedelta(days=364))
    ContractContactFactory(contract=contract, role="primary", first_name="Lee", last_name="Park", email=primary)
    ContractContactFactory(contract=contract, role="billing", first_name="Accounts", last_name="Payable",
                           email=billing)
    return contract


@pytest.fixture(autouse=True)
def _billing_kind_only(monkeypatch):
    """These tests count billing's own 150-day reminder; the kinds other apps register (the
    renewals app's 120-day one) are tested with their apps."""
    monkeypatch.setattr(reminders, "_kinds", {KIND: reminders.get_reminder_kind(KIND)})


def run(days, end=END, **kwargs):
    with time_machine.travel(days_before(end, days), tick=False):
        return send_due_reminders(**kwargs)


@pytest.fixture
def contract(cast):
    return make_contract(cast.northwind, "40017777")


def sent_to():
    return sorted(ContractReminder.objects.values_list("recipient_email", flat=True))


@pytest.mark.django_db
def test_nothing_is_sent_at_151_days_and_each_contact_is_reminded_at_150(cast, contract, django_capture_on_commit_callbacks):
    assert run(151) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run(150) == 2
    assert sent_to() == ["accounts.payable@northwind.example", "lee.park@northwind.example"]
    assert sorted(m.to[0] for m in mail.outbox) == sent_to()
    message = mail.outbox[0]
    assert message.subject == "Please confirm the billing contact of contract 40017777"
    assert f"{settings.HUB_PUBLIC_URL}/profile/billing/40017777/" in message.body
    assert "Billing contact: Accounts Payable <accounts.payable@northwind.example>" in message.body
    assert ContractReminder.objects.filter(kind=KIND, cycle=END, email__isnull=False).count() == 2


@pytest.mark.django_db
def test_running_twice_sends_once(cast, contract, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(150) == 2
        assert run(150) == 0
        assert run(149) == 0
    assert len(mail.outbox) == 2 and OutboundEmail.objects.count() == 2


@pytest.mark.django_db
def test_a_missed_boundary_day_is_caught_up_once(cast, contract, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(151) == 0
        # The job did not run on days 150 and 149.
        assert run(148) == 2
        assert run(147) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_crash_midway_loses_nothing_and_sends_nothing_twice(cast, monkeypatch):
    first = make_contract(cast.northwind, "40010001")
    second = make_contract(cast.northwind, "40010002", primary="p2@northwind.example", billing="b2@northwind.example")
    real_queue = reminders.queue_email
    calls = []

    def failing_queue(**kwargs):
        calls.append(kwargs["to_email"])
        if len(calls) == 4:  # the second contact of the second contract
            raise ConnectionError("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(reminders, "queue_email", failing_queue)
    with pytest.raises(ConnectionError):
        run(150)
    # The first contract was committed; the second rolled back as a whole.
    assert set(ContractReminder.objects.values_list("contract", flat=True)) == {first.pk}
    assert OutboundEmail.objects.count() == 2
    monkeypatch.setattr(reminders, "queue_email", real_queue)
    assert run(150) == 2
    assert ContractReminder.objects.filter(contract=second).count() == 2
    assert OutboundEmail.objects.count() == 4
    assert run(149) == 0


@pytest.mark.django_db
def test_the_database_refuses_a_second_reminder_for_the_same_contract_kind_cycle_and_recipient(cast, contract):
    ContractReminder.objects.create(contract=contract, kind=KIND, cycle=END, recipient_email="ap@northwind.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractReminder.objects.create(contract=contract, kind=KIND, cycle=END, recipient_email="ap@northwind.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractReminder.objects.create(contract=contract, kind=KIND, cycle=END, recipient_email="AP@northwind.example")


@pytest.mark.django_db
def test_one_email_per_address_when_one_person_holds_both_roles(cast):
    make_contract(cast.northwind, "40010003", primary="Alex@northwind.example", billing="alex@Northwind.example")
    assert run(100) == 1
    assert sent_to() == ["alex@northwind.example"]


@pytest.mark.django_db
def test_the_email_is_in_the_recipients_language(cast, django_capture_on_commit_callbacks):
    cast.billing_contact.language = "de"
    cast.billing_contact.save(update_fields=["language"])
    make_contract(cast.northwind, "40010004", billing=cast.billing_contact.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        run(150)
    german = OutboundEmail.objects.get(to_email__iexact=cast.billing_contact.email)
    english = OutboundEmail.objects.get(to_email="lee.park@northwind.example")
    assert (german.language, english.language) == ("de", "en")
    assert german.to_user == cast.billing_contact and english.to_user is None
    assert german.subject != english.subject and "Rechnungskontakt" in german.subject
    assert german.body_text.startswith("Hallo Accounts Payable,")  # the name on the contract
    assert ContractReminder.objects.get(recipient_email=cast.billing_contact.email).recipient_user == cast.billing_contact


@pytest.mark.django_db
def test_confirmed_contracts_and_organizations_without_the_feature_get_no_reminder(cast, contract):
    ContactConfirmation.objects.create(contract=contract, cycle=END, method="confirmed")
    off = OrganizationFactory(billing_contacts_enabled=False)
    make_contract(off, "40010005")
    previous_cycle = make_contract(cast.northwind, "40010006")
    ContactConfirmation.objects.create(contract=previous_cycle, cycle=END - timedelta(days=365), method="confirmed")
    assert run(150) == 2
    assert set(ContractReminder.objects.values_list("contract", flat=True)) == {previous_cycle.pk}


@pytest.mark.django_db
def test_the_next_cycle_is_reminded_again(cast, contract):
    assert run(150) == 2
    next_end = END + timedelta(days=365)
    Contract.objects.filter(pk=contract.pk).update(start_date=END + timedelta(days=1), end_date=next_end)
    assert run(151, end=next_end) == 0
    assert run(150, end=next_end) == 2
    assert sorted(ContractReminder.objects.values_list("cycle", flat=True)) == [END, END, next_end, next_end]


@pytest.mark.django_db
def test_a_contact_named_after_the_reminder_went_out_gets_one_too(cast, contract):
    assert run(150) == 2
    contract.contacts.filter(role="billing").update(email="new.payables@northwind.example")
    assert run(149) == 1
    assert "new.payables@northwind.example" in sent_to()


@pytest.mark.django_db
def test_ended_contracts_are_not_reminded(cast, contract):
    assert run(-1) == 0


@pytest.mark.django_db
def test_batches_walk_every_due_contract_and_an_idle_run_costs_a_few_queries(cast, count_queries):
    for index in range(7):
        make_contract(cast.northwind, f"4002000{index}", primary=f"p{index}@northwind.example",
                      billing=f"b{index}@northwind.example")
    assert run(120, batch_size=3) == 14
    assert ContractReminder.objects.count() == 14
    assert count_queries(lambda: run(119, batch_size=3)) <= 3


@pytest.fixture
def renewal_kind():
    """A second kind registered the way the renewals app does, removed afterwards."""
    kind = register_reminder_kind(ReminderKind(
        key="test_renewal_120", days_before_end=120, template="billing/contacts_confirm_reminder",
        roles=("primary",), extra_context=lambda contract: {"extra": contract.contract_number},
    ))
    yield kind
    reminders._kinds.pop(kind.key)


@pytest.mark.django_db
def test_another_kind_registers_in_one_call_and_runs_on_the_same_job(cast, contract, renewal_kind):
    assert run(150) == 2
    assert run(121) == 0
    assert run(120) == 1
    assert list(ContractReminder.objects.filter(kind="test_renewal_120").values_list("recipient_email", flat=True)) == [
        "lee.park@northwind.example"]
    assert run(119) == 0


@pytest.mark.django_db
def test_the_daily_job_is_scheduled_and_the_task_calls_the_service(cast, contract):
    entry = settings.CELERY_BEAT_SCHEDULE["daily-contract-window-reminders"]
    assert entry["task"] == "billing.tasks.send_contract_reminders"
    with time_machine.travel(days_before(END, 150), tick=False):
        assert send_contract_reminders.delay().get() == 2


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_job_and_delivers_the_reminders(celery_worker, cast):
    user = UserFactory(organization=cast.northwind, email="worker.test@northwind.example")
    contract = ContractFactory(organization=cast.northwind, ends_in_days=100)
    ContractContactFactory(contract=contract, role="billing", email=user.email)
    send_contract_reminders.delay()
    assert wait_for(lambda: OutboundEmail.objects.filter(to_email=user.email, status="sent").exists())
    assert ContractReminder.objects.filter(contract=contract).count() == 1
    assert len(mail.outbox) == 1
