"""Changes to renewals (REN-2..7). Each is one transaction under a row lock, re-checks who may
make it (views, the admin and tasks all call these), records who and when, and leaves a history
row (django-simple-history) for staff."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from billing.access import can_edit_contacts
from billing.models import Contract, ContractContact, organization_today
from billing.services import add_contract_contact, confirm_contract_contacts, update_contract_contact
from hub.access import forget_access
from hub.notifications import queue_email

from .access import can_prepare_renewal
from .models import ADDRESS_KINDS, ADDRESS_PARTS, STEPS, Renewal, invoice_send_date


class RenewalClosedError(Exception):
    """The renewal was already submitted (or invoiced): the wizard is read-only."""

    def __init__(self, renewal: Renewal):
        super().__init__(f"Renewal {renewal.pk} is {renewal.status}")
        self.renewal = renewal


class StepOrderError(Exception):
    """A step was posted before the steps in front of it were done (REN-2)."""

    def __init__(self, allowed_step: str):
        super().__init__(f"Next allowed step: {allowed_step}")
        self.allowed_step = allowed_step


def _locked_renewal(*, actor, contract: Contract, now) -> Renewal:
    """The current cycle's renewal, created if needed, locked; the contract with its contacts.
    PermissionDenied unless the actor may prepare it; RenewalClosedError once submitted."""
    locked_contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("organization").get(pk=contract.pk)
    )
    prefetch_related_objects([locked_contract], "contacts")
    if not can_prepare_renewal(actor, locked_contract, now):
        raise PermissionDenied
    renewal = (
        Renewal.objects.select_for_update(of=("self",))
        .filter(contract=locked_contract, cycle=locked_contract.cycle)
        .first()
    )
    if renewal is None:
        renewal = Renewal(contract=locked_contract, cycle=locked_contract.cycle)
        previous = Renewal.objects.filter(contract=locked_contract, cycle__lt=locked_contract.cycle).order_by(
            "-cycle"
        ).first()
        if previous is not None:
            renewal.copy_addresses_from(previous)
    renewal.contract = locked_contract
    if renewal.is_submitted:
        raise RenewalClosedError(renewal)
    return renewal


def _check_order(renewal: Renewal, step: str):
    index = STEPS.index(step)
    if index > renewal.completed_steps:
        raise StepOrderError(STEPS[renewal.completed_steps])


def _save(renewal: Renewal, *, actor, step: str, now):
    renewal.completed_steps = max(renewal.completed_steps, STEPS.index(step) + 1)
    if renewal.status == Renewal.Status.NOT_STARTED:
        renewal.status = Renewal.Status.IN_PROGRESS
    renewal.updated_at = now
    renewal.updated_by = actor
    renewal._history_user = actor
    renewal.save()


def save_renewal_step(*, actor, contract: Contract, step: str, values: dict) -> Renewal:
    """REN-2, REN-4: save one step's answers (intent "renew", PO number, addresses, instructions)
    on the server and mark it done. Steps are done in order: posting a step whose predecessors
    are not done raises StepOrderError and saves nothing. `values` are model field values the
    step owns (checked by its form)."""
    allowed = {
        "intent": {"intent", "not_renewing_reason"},
        "po": {"po_number", "no_po_needed"},
        "addresses": {f"{kind}_{part}" for kind in ADDRESS_KINDS for part in (*ADDRESS_PARTS, "address_action")},
        "instructions": {"instructions", "no_instructions"},
    }[step]
    if set(values) - allowed:
        raise ValueError(f"Fields not owned by step {step}: {sorted(set(values) - allowed)}")
    if step == "intent" and values.get("intent") != Renewal.Intent.RENEW:
        raise ValueError("Use decline_renewal for 'not renewing'")
    now = timezone.now()
    with transaction.atomic():
        renewal = _locked_renewal(actor=actor, contract=contract, now=now)
        _check_order(renewal, step)
        for field, value in values.items():
            setattr(renewal, field, value)
        if step == "intent":
            renewal.not_renewing_reason = ""
        _save(renewal, actor=actor, step=step, now=now)
    return renewal


def save_contact_step(
    *, actor, contract: Contract, role: str, edit: bool, first_name: str = "", last_name: str = "",
    email: str = "", expected_version: int = 0,
) -> Renewal:
    """REN-2, REN-5: confirm or edit the primary or billing contact from the wizard. An edit
    changes billing's `ContractContact` row itself (the billing page shows it at once) through
    billing's services, with their optimistic locking (`ContactChangedError`); confirming (or
    editing) inside the 150-day window also confirms the contacts for the cycle (BILL-9).
    Without the billing-contacts feature the contacts can only be confirmed here."""
    now = timezone.now()
    step = ContractContact.Role(role).value
    with transaction.atomic():
        renewal = _locked_renewal(actor=actor, contract=contract, now=now)
        _check_order(renewal, step)
        locked_contract = renewal.contract
        contact = next((c for c in locked_contract.contacts.all() if c.role == role), None)
        may_edit = can_edit_contacts(actor, locked_contract)
        if edit or contact is None:
            if not may_edit:
                raise PermissionDenied
            values = {"first_name": first_name, "last_name": last_name, "email": email}
            if contact is None:
                add_contract_contact(actor=actor, contract=locked_contract, role=role, **values)
            else:
                update_contract_contact(actor=actor, contact=contact, expected_version=expected_version, **values)
        elif may_edit:
            confirm_contract_contacts(actor=actor, contract=locked_contract)
        _save(renewal, actor=actor, step=step, now=now)
    forget_access(actor)
    return renewal


def _account_team(organization) -> list[str]:
    emails = []
    for member in (organization.account_executive, organization.customer_success_manager):
        if member is not None and member.email and member.email.lower() not in emails:
            emails.append(member.email.lower())
    return emails or [settings.HUB_ACCOUNT_SERVICES_EMAIL]


def _renewal_url(renewal: Renewal) -> str:
    return settings.HUB_PUBLIC_URL + reverse(
        "renewals:summary", kwargs={"contract_number": renewal.contract.contract_number}
    )


def decline_renewal(*, actor, contract: Contract, reason: str) -> Renewal:
    """REN-2: "not renewing" ends the flow: the renewal is submitted with that intent and the
    reason, and the account team (the account executive and the customer success manager, or
    Account Services when the organization has neither) is told by email. The intent step is
    always allowed (it is the first)."""
    now = timezone.now()
    with transaction.atomic():
        renewal = _locked_renewal(actor=actor, contract=contract, now=now)
        renewal.intent = Renewal.Intent.NOT_RENEWING
        renewal.not_renewing_reason = reason.strip()
        renewal.status = Renewal.Status.SUBMITTED
        renewal.submitted_at = now
        renewal.submitted_by = actor
        _save(renewal, actor=actor, step="intent", now=now)
        organization = renewal.contract.organization
        for address in _account_team(organization):
            queue_email(
                to_email=address,
                template="renewals/not_renewing",
                context={"renewal": renewal, "contract": renewal.contract, "organization": organization,
                         "submitter": actor, "renewal_url": _renewal_url(renewal)},
                language=settings.LANGUAGE_CODE,
                organization=organization,
                reply_to=actor.email,
                idempotency_key=f"renewal-declined:{renewal.pk}:{address}",
            )
    return renewal


def submit_renewal(*, actor, contract: Contract) -> tuple[Renewal, bool]:
    """REN-6, REN-7: Confirm & submit. Allowed once every step before the review is done.
    Records who and when, the invoice email (the billing contact's) and the invoice send date
    (`renewals.models.invoice_send_date`), and emails a confirmation — HTML and text, each in the
    recipient's language, Reply-To Account Services — to the submitter and both contacts.

    Submitting again (a double click, a second tab, a replayed POST) changes and sends nothing:
    the row lock serializes racing submits and the second finds it submitted. Returns the renewal
    and whether this call submitted it."""
    now = timezone.now()
    with transaction.atomic():
        try:
            renewal = _locked_renewal(actor=actor, contract=contract, now=now)
        except RenewalClosedError as closed:
            return closed.renewal, False
        _check_order(renewal, "review")
        if renewal.intent != Renewal.Intent.RENEW:
            raise StepOrderError(STEPS[0])
        locked_contract = renewal.contract
        contacts = list(locked_contract.contacts.all())
        billing = next((c for c in contacts if c.role == ContractContact.Role.BILLING), None)
        renewal.status = Renewal.Status.SUBMITTED
        renewal.submitted_at = now
        renewal.submitted_by = actor
        renewal.invoice_email = billing.email if billing else actor.email
        renewal.invoice_send_date = invoice_send_date(
            renewal_date=renewal.cycle, submitted_on=organization_today(locked_contract.organization, now)
        )
        _save(renewal, actor=actor, step="review", now=now)
        _send_confirmation(renewal, actor=actor, contacts=contacts)
    return renewal, True


def _send_confirmation(renewal: Renewal, *, actor, contacts):
    recipients = {actor.email.lower(): actor.email} if actor.email else {}
    for contact in contacts:
        recipients.setdefault(contact.email.lower(), contact.email)
    organization = renewal.contract.organization
    accounts = {
        user.email.lower(): user
        for user in get_user_model()
        .objects.alias(email_lower=Lower("email"))
        .filter(organization=organization, is_active=True, email_lower__in=list(recipients))
    }
    for address, to_email in recipients.items():
        user = accounts.get(address)
        queue_email(
            to_email=to_email,
            template="renewals/submitted",
            context={"renewal": renewal, "contract": renewal.contract, "contacts": contacts, "submitter": actor,
                     "renewal_url": _renewal_url(renewal)},
            user=user,
            organization=organization,
            language=(user.language if user and user.language else settings.LANGUAGE_CODE),
            reply_to=settings.HUB_ACCOUNT_SERVICES_EMAIL,
            idempotency_key=f"renewal-submitted:{renewal.pk}:{address}",
        )


def mark_renewal_invoiced(*, actor, renewal: Renewal) -> Renewal:
    """REN-7, staff: the renewal was invoiced. The contacts and the invoice email are frozen onto
    it, so later contact edits no longer apply to it, and the wizard becomes read-only. Only
    submitted "renew" renewals; marking one invoiced again changes nothing."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("renewals.change_renewal")):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        locked = Renewal.objects.select_for_update().select_related("contract").get(pk=renewal.pk)
        if locked.is_invoiced:
            return locked
        if locked.status != Renewal.Status.SUBMITTED or locked.intent != Renewal.Intent.RENEW:
            raise ValueError("Only submitted renewals can be invoiced")
        contacts = {c.role: {"name": c.full_name, "email": c.email} for c in locked.contract.contacts.all()}
        locked.frozen_contacts = contacts
        if "billing" in contacts:
            locked.invoice_email = contacts["billing"]["email"]
        locked.status = Renewal.Status.INVOICED
        locked.invoiced_at = now
        locked.updated_at = now
        locked.updated_by = actor
        locked._history_user = actor
        locked.save()
    return locked
