"""Reads of billing data, always scoped to the viewer (SEC-1). A contract a user may not see does
not exist for them: the selectors raise Http404, the same answer for "missing" and "someone
else's"."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from .access import CONFIRMATION_WINDOW_DAYS, can_see_billing, needs_confirmation
from .models import Contract, ContractContact


def contracts_visible_to(user) -> QuerySet[Contract]:
    """BILL-2: the contracts `user` may see — all of the organization's for brand
    administrators, the ones naming the user as primary or billing contact for everyone else —
    with their organization joined and `is_confirmed_this_cycle` annotated, soonest renewal first.
    Empty for users without the billing section."""
    return (
        Contract.objects.visible_to(user)
        .select_related("organization")
        .with_confirmation_state()
        .order_by("end_date", "contract_number")
    )


def _contacts_prefetch():
    return Prefetch("contacts", queryset=ContractContact.objects.select_related("updated_by").order_by("role"))


def with_details(contract: Contract) -> Contract:
    """Load a contract's license lines and contacts (with who last updated them): two queries."""
    prefetch_related_objects([contract], "licenses", _contacts_prefetch())
    return contract


def get_contract_for(user, contract_number: str) -> Contract:
    """One contract `user` may see, by number, with its details; Http404 otherwise."""
    try:
        contract = contracts_visible_to(user).get(contract_number=contract_number)
    except Contract.DoesNotExist as exc:
        raise Http404 from exc
    return with_details(contract)


@dataclass
class BillingPage:
    contracts: list[Contract]
    contract: Contract | None


def billing_page(user, contract_number: str | None = None) -> BillingPage:
    """The billing page's data in three queries whatever the number of contracts: the visible
    contracts (for the switcher), then the selected one's licenses and contacts. Without a
    number, the first contract (soonest renewal); a number the user may not see → Http404."""
    contracts = list(contracts_visible_to(user))
    if contract_number is None:
        selected = contracts[0] if contracts else None
    else:
        selected = next((c for c in contracts if c.contract_number == contract_number), None)
        if selected is None:
            raise Http404
    if selected is not None:
        with_details(selected)
    return BillingPage(contracts=contracts, contract=selected)


def contracts_needing_confirmation(user, now=None) -> list[Contract]:
    """BILL-9: the user's contracts inside the 150-day window whose contacts nobody has
    confirmed or edited this cycle and that the user may confirm, with their contacts (for the
    banner): two queries, none for users without the billing section."""
    if not can_see_billing(user):
        return []
    candidates = list(
        contracts_visible_to(user)
        .in_window(CONFIRMATION_WINDOW_DAYS, now)
        .filter(organization__billing_contacts_enabled=True, is_confirmed_this_cycle=False)
        .prefetch_related(_contacts_prefetch())
    )
    return [contract for contract in candidates if needs_confirmation(user, contract, now)]
