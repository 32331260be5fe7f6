"""Account Services intake (SUP-12). The profile's intake form (PRO-4), the billing page's Contact
us form (BILL-5) and the support flow call `submit_account_services_request`; each request is a
ticket in the Account Services queue."""

from django.db import transaction

from ..choices import ENGLISH, AccountServicesCategory, Channel
from ..models import Ticket
from . import emails
from .tickets import create_ticket


def submit_account_services_request(
    *, requester, category: str, subject: str, message: str, source: str, contract_number: str = ""
) -> Ticket:
    """Open an Account Services ticket and tell the team's inbox. Account Services works in
    English, so the ticket's language is English; the requester's confirmation email still comes
    in their own language. Returns the ticket (its `reference` is what the customer quotes)."""
    if category not in AccountServicesCategory.values:
        raise ValueError(f"Unknown Account Services category {category!r}")
    with transaction.atomic():
        ticket = create_ticket(
            requester=requester, subject=subject, description=message, channel=Channel.EMAIL, language=ENGLISH,
            category=category, source=source, contract_number=contract_number, notify=False,
        )
        # The team's notice is queued (and so sent) before the requester's confirmation.
        emails.send_account_services_notice(ticket)
        emails.send_ticket_created(ticket, ticket.events.get())
    return ticket
