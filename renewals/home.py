"""Renewals' contributions to the home page, the billing page and the reminder emails (REN-1,
REN-8)."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .access import can_prepare_renewal, can_see_renewal
from .models import Renewal
from .selectors import RenewalEntry, renewals_for


def _context(entries):
    if not entries:
        return None
    return {"renewal_entries": entries}


def renewal_banners(request):
    """Home: one "Your renewal is coming up" banner per contract inside the 120-day window —
    with Prepare my renewal for its contacts, the status read-only for brand administrators."""
    return _context(renewals_for(request.user))


def contract_renewal_banner(request, contract):
    """Billing page: the same banner above the selected contract (its contacts are prefetched)."""
    user = request.user
    if not can_see_renewal(user, contract):
        return None
    renewal = (
        Renewal.objects.filter(contract=contract, cycle=contract.cycle).select_related("updated_by").first()
        or Renewal(contract=contract, cycle=contract.cycle)
    )
    return _context([RenewalEntry(contract, renewal, can_prepare_renewal(user, contract))])


def without_submitted_renewal(contracts):
    """The 120-day reminder is pointless once the renewal of the cycle is submitted."""
    return contracts.exclude(
        Exists(
            Renewal.objects.filter(
                contract=OuterRef("pk"), cycle=OuterRef("end_date"),
                status__in=[Renewal.Status.SUBMITTED, Renewal.Status.INVOICED],
            )
        )
    )


def reminder_context(contract):
    return {
        "renewal_url": settings.HUB_PUBLIC_URL
        + reverse("renewals:start", kwargs={"contract_number": contract.contract_number})
    }
