"""Billing's contributions to the home page (HOME-2) and to the contract page's banners."""

from django.urls import reverse

from .access import can_see_billing, needs_confirmation
from .models import ContractContact
from .selectors import contracts_needing_confirmation


def _banner(contract):
    billing = next((c for c in contract.contacts.all() if c.role == ContractContact.Role.BILLING), None)
    return {"contract": contract, "billing_contact": billing}


def confirmation_banners(request):
    """BILL-9 on the home page: one banner per contract awaiting confirmation; Confirm returns
    here."""
    contracts = contracts_needing_confirmation(request.user)
    if not contracts:
        return None
    return {
        "confirmation_banners": [_banner(contract) for contract in contracts],
        "confirmation_next_url": reverse("hub:home"),
    }


def billing_card(request):
    """HOME-2: the entry points to Billing details and, with the billing-contacts feature, to
    Update billing details."""
    user = request.user
    if not can_see_billing(user):
        return None
    return {"can_update_billing_details": user.organization.billing_contacts_enabled}


def contract_confirmation_banner(request, contract):
    """BILL-9 on the billing page, above the selected contract."""
    if not needs_confirmation(request.user, contract):
        return None
    return {"confirmation_banners": [_banner(contract)], "confirmation_in_page": True}
