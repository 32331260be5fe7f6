"""Support's models, one module per feature; each is imported here so Django finds it."""

from .account_services import AccountServicesRequest
from .agents import SupportAgent
from .areas import ProductArea
from .hours import SupportHoliday, SupportSchedule, SupportWindow, Weekday
from .knowledge import (
    ArticleFeedback,
    AssistantConversation,
    AssistantTurn,
    KnowledgeArticle,
    KnowledgeTask,
)
from .tickets import (
    InboundEmail,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketRating,
    number_from_reference,
)

__all__ = [
    "AccountServicesRequest",
    "ArticleFeedback",
    "AssistantConversation",
    "AssistantTurn",
    "InboundEmail",
    "KnowledgeArticle",
    "KnowledgeTask",
    "ProductArea",
    "SupportAgent",
    "SupportHoliday",
    "SupportSchedule",
    "SupportWindow",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "TicketRating",
    "Weekday",
    "number_from_reference",
]
