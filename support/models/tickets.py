"""Tickets (SUP-6): every contact method creates one; a timeline of events; attachments; CSAT."""

import os
import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hub.access import is_brand_admin, is_customer

from ..choices import AccountServicesCategory, Channel, Queue

TICKET_NUMBER_SEQUENCE = "support_ticket_number_seq"
REFERENCE_PREFIX = "CS-"
REFERENCE_RE = re.compile(r"^\s*CS-?0*(\d{1,12})\s*$", re.IGNORECASE)


def number_from_reference(reference: str) -> int | None:
    """`CS-004211` (any case, with or without the dash or zeros) → 4211; anything else → None."""
    match = REFERENCE_RE.match(reference or "")
    return int(match.group(1)) if match else None


class NextTicketNumber(models.Func):
    """`nextval()` of the ticket number sequence: gap-tolerant, race-free, never max()+1."""

    function = "nextval"
    output_field = models.BigIntegerField()

    def __init__(self):
        super().__init__(models.Value(TICKET_NUMBER_SEQUENCE))


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Customers see the tickets they requested; brand administrators their whole
        organization's (SUP-6). Nobody else sees any."""
        if not is_customer(user):
            return self.none()
        if is_brand_admin(user):
            return self.filter(organization_id=user.organization_id)
        return self.filter(organization_id=user.organization_id, requester=user)

    def requested_by(self, user):
        return self.filter(requester=user)

    def unresolved(self):
        return self.filter(status__in=Ticket.UNRESOLVED)


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting your reply")
        VERIFICATION_REQUIRED = "verification_required", _("Verification required")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Source(models.TextChoices):
        SUPPORT = "support", _("Support")
        PROFILE = "profile", _("Profile: account team intake")
        BILLING = "billing", _("Billing: questions about a quote or invoice")

    UNRESOLVED = (Status.NEW, Status.OPEN, Status.AWAITING_CUSTOMER, Status.VERIFICATION_REQUIRED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.BigIntegerField(_("number"), unique=True, editable=False, db_default=NextTicketNumber())
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="tickets"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT,
        related_name="support_tickets",
    )
    product_area = models.ForeignKey(
        "support.ProductArea", verbose_name=_("product area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tickets",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    queue = models.CharField(_("queue"), max_length=20, choices=Queue.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    category = models.CharField(
        _("Account Services category"), max_length=32, choices=AccountServicesCategory.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.SUPPORT)
    contract_number = models.CharField(_("contract number"), max_length=20, blank=True)
    is_enterprise = models.BooleanField(
        _("Enterprise Support"), default=False, help_text=_("Requested by a user designated for Enterprise Support."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_tickets", limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_activity_at"])

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-last_activity_at", "-number"]
        indexes = [
            models.Index(fields=["organization", "-last_activity_at"], name="support_ticket_org_activity"),
            models.Index(fields=["requester", "-last_activity_at"], name="support_ticket_req_activity"),
            models.Index(fields=["queue", "status"], name="support_ticket_queue_status"),
        ]
        permissions = [
            ("reply_ticket", _("Can reply to tickets and change their status")),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def reference(self):
        return f"{REFERENCE_PREFIX}{self.number:06d}" if self.number is not None else ""

    @property
    def is_unresolved(self):
        return self.status in self.UNRESOLVED

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def can_be_rated(self):
        return self.status in (self.Status.SOLVED, self.Status.CLOSED)


class TicketEvent(models.Model):
    """One entry on a ticket's timeline. Internal events (notes, assignments) are for staff only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Request created")
        CUSTOMER_REPLY = "customer_reply", _("Customer reply")
        AGENT_REPLY = "agent_reply", _("Support reply")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        ROUTED = "routed", _("Routed")
        RATED = "rated", _("Rated")
        CHAT_MESSAGE = "chat_message", _("Chat message")
        CALLBACK = "callback", _("Callback")
        HANDED_OVER = "handed_over", _("Handed over")
        VERIFICATION = "verification", _("Verification")
        SCHEDULED_CALL = "scheduled_call", _("Scheduled call")

    class Via(models.TextChoices):
        WEB = "web", _("Hub")
        EMAIL = "email", _("Email")
        ADMIN = "admin", _("Staff admin")
        SYSTEM = "system", _("Automatic")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.WEB)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"), blank=True)
    from_status = models.CharField(_("from status"), max_length=24, choices=Ticket.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=24, choices=Ticket.Status.choices, blank=True)
    is_internal = models.BooleanField(_("staff only"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="support_event_ticket_time")]

    def __str__(self):
        return f"{self.ticket.reference}: {self.get_kind_display()}"

    @property
    def is_from_support(self):
        return self.kind == self.Kind.AGENT_REPLY or (self.kind == self.Kind.CHAT_MESSAGE and self.via == self.Via.ADMIN
                                                      and self.author_id is not None)


def attachment_path(instance, filename):
    """Unguessable, per-ticket folders; files are served only through the access-checked view."""
    name = get_valid_filename(os.path.basename(filename))[-100:] or "attachment"
    return f"support/tickets/{instance.ticket.public_id}/{instance.public_id.hex}/{name}"


class TicketAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class TicketRating(models.Model):
    """CSAT: one rating per ticket, by its requester, after it is solved. A reason follows a bad one."""

    class Score(models.TextChoices):
        GOOD = "good", _("Good, I'm satisfied")
        BAD = "bad", _("Bad, I'm unsatisfied")

    class Reason(models.TextChoices):
        NOT_RESOLVED = "not_resolved", _("My issue was not resolved")
        TOO_SLOW = "too_slow", _("It took too long")
        UNHELPFUL = "unhelpful", _("The answers were not helpful")
        OTHER = "other", _("Something else")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.CharField(_("score"), max_length=8, choices=Score.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.ticket.reference}: {self.get_score_display()}"


class InboundEmail(models.Model):
    """Every email received for a ticket (webhook or Maildir): idempotent by Message-ID, and a
    record for staff of what was added and what was refused, and why."""

    class Status(models.TextChoices):
        ADDED = "added", _("Added to the ticket")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        MAILDIR = "maildir", _("Maildir")

    message_id = models.CharField(_("Message-ID"), max_length=300)
    sender = models.EmailField(_("from"), max_length=254, blank=True)
    recipient = models.CharField(_("to"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    source = models.CharField(_("received by"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(Lower("message_id"), name="support_inbound_message_id_unique"),
        ]

    def __str__(self):
        return f"{self.message_id} ({self.get_status_display()})"
