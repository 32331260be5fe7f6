"""Who may see and change billing details (BILL-1, BILL-2, BILL-6, BILL-9). Menus, views,
templates, services and other apps (renewals, support) ask these functions; nobody re-derives
the rules."""

from django.db.models.functions import Lower

from hub.access import is_brand_admin, is_customer, per_request

from .models import Contract, ContractContact

CONFIRMATION_WINDOW_DAYS = 150


@per_request
def is_contract_contact(user) -> bool:
    """True when the user's account email equals, ignoring case, the primary or billing contact
    of at least one contract of their own organization. One query, memoized for the request."""
    if not is_customer(user) or not user.email:
        return False
    return (
        ContractContact.objects.alias(email_lower=Lower("email"))
        .filter(contract__organization_id=user.organization_id, email_lower=user.email.lower())
        .exists()
    )


@per_request
def can_see_billing(user) -> bool:
    """BILL-1: the Billing details section exists for brand administrators and for primary or
    billing contacts of one of their organization's contracts; for everyone else its menu entry
    is absent and its URLs answer 404."""
    return is_brand_admin(user) or is_contract_contact(user)


def can_see_contacts(user, contract: Contract) -> bool:
    """BILL-6: contacts (and their Edit buttons) exist only for organizations with the
    billing-contacts feature, which staff turn on. `contract` must be one the user may see."""
    return (
        is_customer(user)
        and contract.organization_id == user.organization_id
        and contract.organization.billing_contacts_enabled
    )


@per_request
def can_edit_contacts(user, contract: Contract) -> bool:
    """BILL-6, BILL-9: who may edit and confirm the contacts of `contract`: with the feature on,
    the organization's brand administrators and the contract's own primary and billing contacts.
    Reads `contract.contacts` (prefetch it to spend no query)."""
    if not can_see_contacts(user, contract):
        return False
    return is_brand_admin(user) or is_contact_of(user, contract)


def is_contact_of(user, contract: Contract) -> bool:
    """The user is the contract's primary or billing contact (their account email, any case).
    Reads `contract.contacts` (prefetch it to spend no query)."""
    return (
        is_customer(user)
        and contract.organization_id == user.organization_id
        and any(contact.is_person(user) for contact in contract.contacts.all())
    )


def can_staff_edit_contacts(user) -> bool:
    """Vendor staff may change contacts from the admin when their group grants it (ADM-1)."""
    return bool(getattr(user, "is_staff", False)) and user.has_perm("billing.change_contractcontact")


def needs_confirmation(user, contract: Contract, now=None) -> bool:
    """BILL-9: the banner asking to confirm the billing contact shows from 150 days before the
    contract's end (counted in the organization's time zone) until its contacts are confirmed or
    edited for this renewal cycle, to those who may edit them. `contract` must carry
    `is_confirmed_this_cycle` (`ContractQuerySet.with_confirmation_state`)."""
    return (
        contract.is_in_window(CONFIRMATION_WINDOW_DAYS, now)
        and not contract.is_confirmed_this_cycle
        and can_edit_contacts(user, contract)
    )
