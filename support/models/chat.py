"""Live chat (SUP-7): a customer's conversation with an agent, kept on a ticket.

Each message is a `TicketEvent` of kind "chat message" on the chat's ticket (the transcript is the
ticket's timeline), tagged with the chat's id in `data["chat"]`; joining, leaving and closing are
chat messages without an author that carry a `notice` code, rendered in the reader's language."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.access import is_customer


class ChatQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A chat is seen by the customer who started it, nobody else on the customer side (brand
        administrators read the transcript on the ticket, not the live chat)."""
        if not is_customer(user):
            return self.none()
        return self.filter(organization_id=user.organization_id, customer=user)

    def unfinished(self):
        return self.filter(status__in=Chat.UNFINISHED)


class Chat(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an agent")
        ACTIVE = "active", _("With an agent")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        CUSTOMER_ENDED = "customer_ended", _("Ended by the customer")
        AGENT_LEFT = "agent_left", _("The agent left")
        AGENT_CLOSED = "agent_closed", _("Closed by the agent")
        HOURS_ENDED = "hours_ended", _("Chat hours ended")
        NO_AGENT = "no_agent", _("No agent available")

    UNFINISHED = (Status.WAITING, Status.ACTIVE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey("support.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT,
                               related_name="chats")
    organization = models.ForeignKey("hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="+")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="support_chats")
    product_area = models.ForeignKey("support.ProductArea", verbose_name=_("product area"),
                                     on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", limit_choices_to={"is_staff": True})
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    claimed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason.choices, blank=True)

    objects = ChatQuerySet.as_manager()

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        ordering = ["started_at", "pk"]
        constraints = [
            # One conversation at a time per customer: a second "Start chat" finds the first.
            models.UniqueConstraint(fields=["customer"], condition=Q(status__in=["waiting", "active"]),
                                    name="support_chat_one_unfinished_per_customer"),
            models.CheckConstraint(condition=~Q(status="active") | Q(agent__isnull=False),
                                   name="support_chat_active_has_agent"),
            models.CheckConstraint(condition=~Q(status="ended") | ~Q(end_reason=""),
                                   name="support_chat_ended_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="support_chat_status_started")]

    def __str__(self):
        return f"{self.ticket.reference} ({self.get_status_display()})" if self.ticket_id else str(self.public_id)

    @property
    def is_finished(self):
        return self.status == self.Status.ENDED

    @property
    def is_waiting(self):
        return self.status == self.Status.WAITING
