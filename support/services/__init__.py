"""Support's writes, one module per feature. `submit_account_services_request` stays importable
from here: the profile (PRO-4) and billing (BILL-5) forms call it."""

from .account_services import submit_account_services_request
from .inbound import fetch_maildir, receive_inbound_email
from .ratings import explain_rating, rate_ticket
from .scheduled_calls import (
    CallNotChangeable,
    SlotTaken,
    book_scheduled_call,
    cancel_scheduled_call,
    reschedule_scheduled_call,
)
from .staff import (
    assign_ticket,
    change_ticket_status,
    close_solved_tickets,
    reply_as_agent,
    update_ticket_triage,
)
from .tickets import TicketClosed, add_customer_reply, create_ticket, mark_ticket_solved

__all__ = [
    "CallNotChangeable",
    "SlotTaken",
    "book_scheduled_call",
    "cancel_scheduled_call",
    "reschedule_scheduled_call",
    "TicketClosed",
    "add_customer_reply",
    "assign_ticket",
    "change_ticket_status",
    "close_solved_tickets",
    "create_ticket",
    "explain_rating",
    "fetch_maildir",
    "mark_ticket_solved",
    "rate_ticket",
    "receive_inbound_email",
    "reply_as_agent",
    "submit_account_services_request",
    "update_ticket_triage",
]
