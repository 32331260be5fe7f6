"""Support's writes, one module per feature. `submit_account_services_request` stays importable
from here: the profile (PRO-4) and billing (BILL-5) forms call it."""

from .account_services import submit_account_services_request
from .callbacks import complete_callback, mark_callback_no_answer, request_callback, start_callback
from .inbound import fetch_maildir, receive_inbound_email
from .ratings import explain_rating, rate_ticket
from .staff import (
    assign_ticket,
    change_ticket_status,
    close_solved_tickets,
    reply_as_agent,
    update_ticket_triage,
)
from .tickets import TicketClosed, add_customer_reply, create_ticket, mark_ticket_solved

__all__ = [
    "TicketClosed",
    "add_customer_reply",
    "assign_ticket",
    "change_ticket_status",
    "close_solved_tickets",
    "complete_callback",
    "create_ticket",
    "explain_rating",
    "fetch_maildir",
    "mark_callback_no_answer",
    "mark_ticket_solved",
    "rate_ticket",
    "receive_inbound_email",
    "reply_as_agent",
    "request_callback",
    "start_callback",
    "submit_account_services_request",
    "update_ticket_triage",
]
