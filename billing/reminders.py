"""Contract window reminders (REN-8): an email to a contract's contacts when the contract enters
a window of N days before its end — exactly once per contract, kind, renewal cycle and recipient.

A *kind* is the number of days before the end, the email template, and who receives it (contact
roles, optionally narrowed by a filter on the due contracts). Billing registers the 150-day
"confirm your billing contact" kind (BILL-9) in `BillingConfig.ready()`; the renewals app adds the
120-day "prepare your renewal" kind the same way, in its own `AppConfig.ready()`::

    from billing.reminders import ReminderKind, register_reminder_kind

    register_reminder_kind(ReminderKind(
        key="renewal_prepare_120",            # stored on every reminder row; never rename
        days_before_end=120,
        template="renewals/prepare_reminder",  # templates/emails/<template>.subject.txt|.txt|.html
        # optional: narrow the due contracts, e.g. skip those whose renewal was already submitted
        contract_filter=lambda contracts: contracts.exclude(...),
        # optional: more template context for one contract
        extra_context=lambda contract: {"renewal_url": ...},
    ))

The daily beat task (`billing.tasks.send_contract_reminders`) then sends it too. Templates get
`contract`, `contacts` (the contract's contacts), `recipient` (the contact being written to),
`days_left`, `contract_url` and whatever `extra_context` returns.

Why it is safe: a contract is due while it is inside the window (so a missed day is caught up
the next run) and one of its contacts has no reminder row for this kind and cycle (so the cost of
a run is proportional to the work due). Each contract is handled in its own transaction under a
row lock: the reminder rows and their emails (`hub.notifications.queue_email`, delivered after
commit) are written together or not at all, so a crash midway leaves the rest for the next run,
and the unique constraint on (contract, kind, cycle, recipient email) refuses a second send when
two runs overlap.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hub.notifications import queue_email

from .models import Contract, ContractContact, ContractReminder

logger = logging.getLogger(__name__)

ALL_ROLES = (ContractContact.Role.PRIMARY, ContractContact.Role.BILLING)


@dataclass(frozen=True)
class ReminderKind:
    """One kind of contract window reminder. `roles`: which contacts receive it (primary,
    billing, or both; one email per distinct address). `contract_filter(queryset) -> queryset`
    narrows the due contracts (e.g. only organizations with a feature, only unconfirmed ones).
    `extra_context(contract) -> dict` adds to the email's template context."""

    key: str
    days_before_end: int
    template: str
    roles: tuple[str, ...] = ALL_ROLES
    contract_filter: Callable[[QuerySet], QuerySet] | None = field(default=None, compare=False)
    extra_context: Callable[[Contract], dict] | None = field(default=None, compare=False)


_kinds: dict[str, ReminderKind] = {}


def register_reminder_kind(kind: ReminderKind) -> ReminderKind:
    """Add a kind to the daily job (call it in `AppConfig.ready()`). Registering the same key
    again replaces it."""
    if len(kind.key) > ContractReminder._meta.get_field("kind").max_length:
        raise ValueError(f"Reminder kind key too long: {kind.key!r}")
    _kinds[kind.key] = kind
    return kind


def reminder_kinds() -> list[ReminderKind]:
    return sorted(_kinds.values(), key=lambda kind: (-kind.days_before_end, kind.key))


def get_reminder_kind(key: str) -> ReminderKind:
    return _kinds[key]


def due_contracts(kind: ReminderKind, now: datetime | None = None) -> QuerySet[Contract]:
    """Contracts inside the kind's window (in their organization's time zone) with at least one
    contact of the kind's roles not yet reminded for this kind and cycle."""
    already_reminded = ContractReminder.objects.filter(
        contract=OuterRef(OuterRef("pk")),
        kind=kind.key,
        cycle=OuterRef(OuterRef("end_date")),
        recipient_email=OuterRef("email_lower"),
    )
    unreminded_contact = (
        ContractContact.objects.alias(email_lower=Lower("email"))
        .filter(contract=OuterRef("pk"), role__in=kind.roles)
        .exclude(Exists(already_reminded))
    )
    contracts = Contract.objects.in_window(kind.days_before_end, now).filter(Exists(unreminded_contact))
    if kind.contract_filter is not None:
        contracts = kind.contract_filter(contracts)
    return contracts


def send_due_reminders(*, now: datetime | None = None, batch_size: int = 100) -> int:
    """The daily job: every registered kind, due contracts in keyset batches of `batch_size`.
    Returns the number of reminder emails queued. Safe to run twice, concurrently, or after a
    crash; a run that missed days sends what became due meanwhile."""
    now = now or timezone.now()
    sent = 0
    for kind in reminder_kinds():
        last_pk = 0
        while True:
            batch = list(
                due_contracts(kind, now)
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                break
            for contract_id in batch:
                sent += remind_contract(kind=kind, contract_id=contract_id, now=now)
            last_pk = batch[-1]
    if sent:
        logger.info("contract reminders queued", extra={"count": sent})
    return sent


def remind_contract(*, kind: ReminderKind, contract_id: int, now: datetime | None = None) -> int:
    """Queue one kind's reminder to each not-yet-reminded contact of one contract, in one
    transaction. A contract another run is handling right now is skipped (it is that run's).
    Returns how many emails were queued."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = (
            due_contracts(kind, now)
            .filter(pk=contract_id)
            .select_related("organization")
            .select_for_update(of=("self",), skip_locked=True)
            .first()
        )
        if contract is None:
            return 0
        contacts = list(contract.contacts.all())
        reminded = set(
            ContractReminder.objects.filter(contract=contract, kind=kind.key, cycle=contract.cycle).values_list(
                "recipient_email", flat=True
            )
        )
        recipients = {}
        for contact in sorted(contacts, key=lambda c: ALL_ROLES.index(c.role)):
            address = contact.email.lower()
            if contact.role in kind.roles and address not in reminded:
                recipients.setdefault(address, contact)
        if not recipients:
            return 0
        accounts = {
            user.email.lower(): user
            for user in get_user_model()
            .objects.alias(email_lower=Lower("email"))
            .filter(organization=contract.organization, is_active=True, email_lower__in=list(recipients))
            .select_related("organization")
        }
        context = {
            "contract": contract,
            "contacts": contacts,
            "days_left": contract.days_until_end(now),
            "contract_url": settings.HUB_PUBLIC_URL
            + reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number}),
            **(kind.extra_context(contract) if kind.extra_context else {}),
        }
        queued = 0
        for address, contact in recipients.items():
            user = accounts.get(address)
            try:
                with transaction.atomic():
                    reminder = ContractReminder.objects.create(
                        contract=contract, kind=kind.key, cycle=contract.cycle, recipient_email=address,
                        recipient_user=user,
                    )
            except IntegrityError:
                continue
            reminder.email = queue_email(
                to_email=contact.email,
                template=kind.template,
                context={**context, "recipient": contact},
                user=user,
                organization=contract.organization,
                language=(user.language if user and user.language else settings.LANGUAGE_CODE),
                idempotency_key=f"contract-reminder:{reminder.pk}",
            )
            reminder.save(update_fields=["email"])
            queued += 1
    return queued
