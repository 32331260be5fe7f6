"""Scheduled calls (SCH-1): a Success-package user books a call with a support agent in a slot of
the agent's shifts. One row per booking; rescheduling moves the same row (the calendar invite
keeps its UID and counts up its SEQUENCE), cancelling frees the slot and keeps the row.

No double booking: an exclusion constraint forbids two booked calls of one agent whose times
overlap. It uses only core PostgreSQL (GiST on range types: the agent id as a one-value
`int8range`, the call as a `tstzrange`), so it needs no contrib extension such as btree_gist."""

import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.access import is_customer

from .agents import SupportAgent


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()


class AgentRange(Func):
    """`int8range(agent_id, agent_id, '[]')`: equality on the agent as a range overlap, so the
    exclusion constraint can use GiST without btree_gist."""

    function = "INT8RANGE"
    output_field = models.BigIntegerField()

    def __init__(self, field):
        super().__init__(F(field), F(field), Value("[]"))


class ScheduledCallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the customer who booked a call sees it (staff use the admin)."""
        if not is_customer(user):
            return self.none()
        return self.filter(organization_id=user.organization_id, requester=user)

    def booked(self):
        return self.filter(status=ScheduledCall.Status.BOOKED)

    def upcoming(self, now=None):
        return self.booked().filter(ends_at__gt=now or timezone.now())


class ScheduledCall(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.OneToOneField(
        "support.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="scheduled_call"
    )
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
        related_name="scheduled_calls",
    )
    product_area = models.ForeignKey(
        "support.ProductArea", verbose_name=_("product area"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        SupportAgent, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="scheduled_calls"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    sequence = models.PositiveIntegerField(
        _("invite sequence"), default=0, help_text=_("Counts the changes sent in calendar invites."),
    )
    request_token = models.UUIDField(
        _("request token"), editable=False, help_text=_("From the booking form: a second submit books nothing more."),
    )
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = ScheduledCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduled call")
        verbose_name_plural = _("scheduled calls")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["requester", "starts_at"], name="support_call_requester_start"),
            models.Index(fields=["status", "starts_at"], name="support_call_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="support_call_ends_after_start"),
            models.UniqueConstraint(fields=["requester", "request_token"], name="support_call_request_once"),
            ExclusionConstraint(
                name="support_call_agent_no_overlap",
                expressions=[
                    (AgentRange("agent_id"), RangeOperators.OVERLAPS),
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(status="booked"),
                violation_error_message=_("This agent already has a call at that time."),
            ),
        ]

    def __str__(self):
        return f"{self.ticket.reference} {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_booked(self):
        return self.status == self.Status.BOOKED

    def is_changeable(self, now=None):
        """Booked and not yet started: the customer may still reschedule or cancel."""
        return self.is_booked and self.starts_at > (now or timezone.now())
