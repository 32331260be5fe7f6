"""Support's models, one module per feature; each is imported here so Django finds it."""

from .account_services import AccountServicesRequest
from .agents import SupportAgent
from .areas import ProductArea
from .callbacks import Callback
from .chat import Chat
from .enterprise import SEATS_PER_PACKAGE, EnterpriseDesignation, EnterpriseHandover, EnterpriseVerification
from .hours import SupportHoliday, SupportSchedule, SupportWindow, Weekday
from .knowledge import (
    ArticleFeedback,
    AssistantConversation,
    AssistantTurn,
    KnowledgeArticle,
    KnowledgeTask,
)
from .scheduled_calls import ScheduledCall
from .shifts import AgentShift, AgentTimeOff
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
    "AgentShift",
    "AgentTimeOff",
    "EnterpriseDesignation",
    "EnterpriseHandover",
    "EnterpriseVerification",
    "Chat",
    "Callback",
    "InboundEmail",
    "SEATS_PER_PACKAGE",
    "ArticleFeedback",
    "AssistantConversation",
    "AssistantTurn",
    "KnowledgeArticle",
    "KnowledgeTask",
    "ProductArea",
    "ScheduledCall",
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
