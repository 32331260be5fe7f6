"""Support's writes, one module per feature. `submit_account_services_request` stays importable
from here: the profile (PRO-4) and billing (BILL-5) forms call it."""

from .account_services import submit_account_services_request
from .callbacks import (
    cancel_callback,
    complete_callback,
    mark_callback_no_answer,
    request_callback,
    request_callback_again,
    start_callback,
)
from .chat import (
    ChatEnded,
    claim_chat,
    end_chat_as_customer,
    end_closed_chats,
    leave_chat,
    post_chat_message,
    set_chat_online,
    start_chat,
)
from .enterprise import (
    confirm_enterprise_verification,
    designate_enterprise_user,
    escalate_to_enterprise,
    hand_over_enterprise_tickets,
    remove_enterprise_designation,
)
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
    "ChatEnded",
    "claim_chat",
    "end_chat_as_customer",
    "end_closed_chats",
    "leave_chat",
    "post_chat_message",
    "set_chat_online",
    "start_chat",
    "CallNotChangeable",
    "SlotTaken",
    "book_scheduled_call",
    "cancel_callback",
    "cancel_scheduled_call",
    "reschedule_scheduled_call",
    "request_callback_again",
    "TicketClosed",
    "add_customer_reply",
    "assign_ticket",
    "change_ticket_status",
    "close_solved_tickets",
    "confirm_enterprise_verification",
    "complete_callback",
    "create_ticket",
    "designate_enterprise_user",
    "escalate_to_enterprise",
    "explain_rating",
    "fetch_maildir",
    "hand_over_enterprise_tickets",
    "mark_callback_no_answer",
    "mark_ticket_solved",
    "rate_ticket",
    "receive_inbound_email",
    "remove_enterprise_designation",
    "reply_as_agent",
    "request_callback",
    "start_callback",
    "submit_account_services_request",
    "update_ticket_triage",
]
