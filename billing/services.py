"""Changes to billing data. Each is one transaction, re-checks who may make it (views, the admin,
the renewal wizard and tasks all call these), and leaves a history row for staff (ADM-4)."""

from django.contrib.auth.models import BaseUserManager
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from hub.access import forget_access
from support.models import AccountServicesRequest
from support.services import submit_account_services_request

from .access import CONFIRMATION_WINDOW_DAYS, can_edit_contacts, can_see_billing, can_staff_edit_contacts
from .models import ContactConfirmation, Contract, ContractContact


class ContactChangedError(Exception):
    """The contact changed since the form was loaded (optimistic locking): nothing was saved.
    `current` is the contact as it is now, so the user can see what the other person saved."""

    def __init__(self, current: ContractContact):
        super().__init__(f"Contact {current.pk} is at version {current.version}")
        self.current = current


def _locked_contract(contract: Contract) -> Contract:
    """The contract row locked for this transaction, with its organization and contacts."""
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("organization")
        .prefetch_related("contacts")
        .get(pk=contract.pk)
    )


def _require_contact_editor(actor, contract: Contract):
    if not (can_staff_edit_contacts(actor) or can_edit_contacts(actor, contract)):
        raise PermissionDenied


def _normalized(first_name: str, last_name: str, email: str) -> dict:
    return {
        "first_name": " ".join(first_name.split()),
        "last_name": " ".join(last_name.split()),
        "email": BaseUserManager.normalize_email(email.strip()),
    }


def _record_edit_as_confirmation(*, actor, contract: Contract, now):
    """BILL-9: editing a contact inside the confirmation window confirms the contacts for this
    cycle. Staff edits don't: the banner asks the customer."""
    if actor.is_staff or not contract.is_in_window(CONFIRMATION_WINDOW_DAYS, now):
        return
    ContactConfirmation.objects.get_or_create(
        contract=contract,
        cycle=contract.cycle,
        defaults={"method": ContactConfirmation.Method.EDITED, "confirmed_by": actor, "confirmed_at": now},
    )


def update_contract_contact(
    *, actor, contact: ContractContact, first_name: str, last_name: str, email: str, expected_version: int
) -> ContractContact:
    """BILL-7, BILL-8: change a contract's primary or billing contact.

    `expected_version` is the `version` the actor's form was loaded with: when someone saved the
    contact since, nothing is written and `ContactChangedError` carries the current contact. The
    row is locked while checking, so of two saves racing from the same version exactly one wins.

    The contact row is the one source of truth, so the change applies at once to the next renewal
    that has not been invoiced yet (the renewal wizard edits the same row, REN-5). It records who
    and when (shown on the billing page), a history row, and — inside the 150-day window — counts
    as confirming the contacts for this renewal cycle (BILL-9). Saving unchanged values writes
    nothing but still confirms. Raises PermissionDenied unless the actor may edit the contacts
    (`billing.access.can_edit_contacts`, or staff with the change permission)."""
    values = _normalized(first_name, last_name, email)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            ContractContact.objects.select_for_update(of=("self",))
            .select_related("contract__organization", "updated_by")
            .get(pk=contact.pk)
        )
        contract = locked.contract
        prefetch_related_objects([contract], "contacts")
        _require_contact_editor(actor, contract)
        if locked.version != expected_version:
            raise ContactChangedError(locked)
        if any(getattr(locked, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(locked, field, value)
            locked.version += 1
            locked.updated_at = now
            locked.updated_by = actor
            locked._history_user = actor
            locked.save(update_fields=[*values, "version", "updated_at", "updated_by"])
        _record_edit_as_confirmation(actor=actor, contract=contract, now=now)
    forget_access(actor)
    return locked


def add_contract_contact(
    *, actor, contract: Contract, role: str, first_name: str, last_name: str, email: str
) -> ContractContact:
    """BILL-6: name the primary or billing contact of a contract that has none for that role.
    If someone added one meanwhile, nothing is written and `ContactChangedError` carries it.
    Same rules, history and confirmation as `update_contract_contact`."""
    values = _normalized(first_name, last_name, email)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_contract(contract)
        _require_contact_editor(actor, locked)
        existing = next((c for c in locked.contacts.all() if c.role == role), None)
        if existing is not None:
            raise ContactChangedError(existing)
        contact = ContractContact(contract=locked, role=role, updated_at=now, updated_by=actor, **values)
        contact._history_user = actor
        try:
            with transaction.atomic():
                contact.save()
        except IntegrityError:
            raise ContactChangedError(ContractContact.objects.get(contract=locked, role=role)) from None
        _record_edit_as_confirmation(actor=actor, contract=locked, now=now)
    forget_access(actor)
    return contact


def confirm_contract_contacts(*, actor, contract: Contract) -> ContactConfirmation:
    """BILL-9: the actor confirms that the contract's primary and billing contacts are right for
    this renewal cycle (the contract's current end date); the banner then disappears for the
    cycle, and the 150-day reminder is no longer due. Idempotent: confirming again (or after an
    edit) returns the cycle's existing confirmation. Allowed inside the 150-day window to those
    who may edit the contacts; otherwise PermissionDenied. The renewal wizard (REN-2) calls it
    when a contact is confirmed there."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_contract(contract)
        if not can_edit_contacts(actor, locked) or not locked.is_in_window(CONFIRMATION_WINDOW_DAYS, now):
            raise PermissionDenied
        confirmation, _created = ContactConfirmation.objects.get_or_create(
            contract=locked,
            cycle=locked.cycle,
            defaults={"method": ContactConfirmation.Method.CONFIRMED, "confirmed_by": actor, "confirmed_at": now},
        )
    return confirmation


def ask_billing_question(*, actor, subject: str, message: str, contract: Contract | None = None):
    """BILL-5: a payment, billing or renewal question from the billing page's Contact us form.
    It becomes an Account Services request (category billing or payment, source billing) with
    the contract's number, handled in English by Account Services (SUP-12)."""
    if not can_see_billing(actor):
        raise PermissionDenied
    if contract is not None and not Contract.objects.visible_to(actor).filter(pk=contract.pk).exists():
        raise PermissionDenied
    return submit_account_services_request(
        requester=actor,
        category=AccountServicesRequest.Category.BILLING,
        subject=subject,
        message=message,
        source=AccountServicesRequest.Source.BILLING,
        contract_number=contract.contract_number if contract is not None else "",
    )
