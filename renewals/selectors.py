"""Reads of renewals, always scoped to the viewer: contracts come from billing's
`contracts_visible_to`, and a renewal the user may not see does not exist for them (404)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from billing.access import can_see_billing
from billing.models import Contract, ContractContact
from billing.selectors import contracts_visible_to
from hub.access import is_customer, require

from .access import RENEWAL_WINDOW_DAYS, can_prepare_renewal, can_see_renewal
from .models import Renewal


def _prefetches():
    return (
        Prefetch("contacts", queryset=ContractContact.objects.select_related("updated_by").order_by("role")),
        Prefetch(
            "renewals",
            queryset=Renewal.objects.select_related("updated_by", "submitted_by").order_by("-cycle"),
            to_attr="renewal_rows",
        ),
    )


def current_renewal(contract: Contract) -> Renewal:
    """The renewal of the contract's current cycle; an unsaved one (not started) when nobody has
    saved a step yet — opening the wizard writes nothing. A new renewal starts from the
    addresses of the contract's previous renewal. Reads `contract.renewal_rows` (prefetched)."""
    rows = contract.renewal_rows
    for renewal in rows:
        if renewal.cycle == contract.cycle:
            renewal.contract = contract
            return renewal
    renewal = Renewal(contract=contract, cycle=contract.cycle)
    previous = next((row for row in rows if row.cycle < contract.cycle), None)
    if previous is not None:
        renewal.copy_addresses_from(previous)
    return renewal


@dataclass
class RenewalEntry:
    contract: Contract
    renewal: Renewal
    can_prepare: bool


def renewals_for(user, now=None) -> list[RenewalEntry]:
    """REN-1: the user's contracts inside the 120-day window whose renewal they may prepare
    (contacts) or see read-only (brand administrators), with their renewal: three queries
    whatever the number of contracts, none for users outside any organization."""
    if not is_customer(user):
        return []
    contracts = list(contracts_visible_to(user).in_window(RENEWAL_WINDOW_DAYS, now).prefetch_related(*_prefetches()))
    return [
        RenewalEntry(contract, current_renewal(contract), can_prepare_renewal(user, contract, now))
        for contract in contracts
        if can_see_renewal(user, contract, now)
    ]


def get_renewal_for(user, contract_number: str) -> tuple[Contract, Renewal]:
    """The contract and its current renewal, if the user may see it (REN-1); Http404 otherwise."""
    contract = (
        contracts_visible_to(user).filter(contract_number=contract_number).prefetch_related(*_prefetches()).first()
    )
    if contract is None or not can_see_renewal(user, contract):
        raise Http404
    return contract, current_renewal(contract)


def get_contract_with_renewal(user, contract_number: str) -> tuple[Contract, Renewal]:
    """Any contract the user may see (BILL-2: brand administrators, its contacts), in or out of
    the renewal window, with its current renewal; Http404 otherwise."""
    require(can_see_billing(user))
    contract = (
        contracts_visible_to(user).filter(contract_number=contract_number).prefetch_related(*_prefetches()).first()
    )
    if contract is None:
        raise Http404
    return contract, current_renewal(contract)
