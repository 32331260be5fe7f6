"""Who may see and act on a contract's renewal (REN-1, REN-7). Home and billing panels, the
wizard's views, its services and the tests all ask these functions.

- From `RENEWAL_WINDOW_DAYS` days before the renewal date (counted in the organization's time
  zone) until the renewal date, the contract's primary and billing contacts may prepare the
  renewal.
- Brand administrators of the organization who are not contacts see its status, read-only.
- Everyone else: the renewal does not exist for them (404), and so it is outside the window.
"""

from billing.access import is_contact_of
from hub.access import is_brand_admin, is_customer

RENEWAL_WINDOW_DAYS = 120


def is_renewal_window_open(contract, now=None) -> bool:
    """REN-1: day 120 before the end is inside the window, day 121 is not; an ended contract is
    in no window."""
    return contract.is_in_window(RENEWAL_WINDOW_DAYS, now)


def can_prepare_renewal(user, contract, now=None) -> bool:
    """The user is the contract's primary or billing contact and the window is open. Reads
    `contract.contacts` (prefetch it to spend no query)."""
    return is_renewal_window_open(contract, now) and is_contact_of(user, contract)


def can_see_renewal(user, contract, now=None) -> bool:
    """Contacts (who may act) and the organization's brand administrators (read-only), inside
    the window."""
    if not is_customer(user) or contract.organization_id != user.organization_id:
        return False
    if not is_renewal_window_open(contract, now):
        return False
    return is_brand_admin(user) or is_contact_of(user, contract)
