"""Phone callbacks (CB-1..4): a request to be called back, waiting in a queue per support
language and product area until an agent calls. Every callback has its ticket (SUP-6); the
agent's actions are recorded on the ticket's timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from hub.access import is_customer


class CallbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A callback is the requester's own: support is given for the signed-in account only, so
        not even a brand administrator sees a colleague's phone number here (staff use the admin)."""
        if not is_customer(user):
            return self.none()
        return self.filter(organization_id=user.organization_id, requester=user)

    def waiting(self):
        return self.filter(status=Callback.Status.QUEUED)


class Callback(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a call")
        IN_PROGRESS = "in_progress", _("Call in progress")
        COMPLETED = "completed", _("Call completed")
        NO_ANSWER = "no_answer", _("No answer")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.QUEUED, Status.IN_PROGRESS)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.OneToOneField(
        "support.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="callback",
    )
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="callbacks",
    )
    product_area = models.ForeignKey(
        "support.ProductArea", verbose_name=_("product area"), on_delete=models.PROTECT, related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    country = CountryField(_("country"))
    phone = PhoneNumberField(_("phone number"))
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=200)
    can_access_account = models.BooleanField(_("support may access the account"), default=False)
    consents_to_recording = models.BooleanField(_("consents to call recording"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    estimated_wait_seconds = models.PositiveIntegerField(
        _("estimated wait when requested (seconds)"), null=True, blank=True,
    )
    # The form's one-time key: a double click or a resubmitted page finds the first request.
    submission_key = models.UUIDField(_("submission key"), editable=False)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", limit_choices_to={"is_staff": True},
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("call started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("call ended"), null=True, blank=True)

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "submission_key"], name="support_callback_submit_once"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "no_answer", "cancelled"]) | Q(started_at__isnull=False),
                name="support_callback_started_when_called",
            ),
        ]
        indexes = [
            models.Index(fields=["language", "product_area", "status", "requested_at"], name="support_callback_queue"),
            models.Index(fields=["status", "ended_at"], name="support_callback_ended"),
        ]

    def __str__(self):
        return f"{self.ticket.reference} {self.phone}" if self.ticket_id else str(self.phone)

    @property
    def phone_display(self):
        number = self.phone.as_international if self.phone else ""
        return f"{number} ext. {self.extension}" if self.extension else number

    @property
    def is_waiting(self):
        return self.status == self.Status.QUEUED

    @property
    def handle_seconds(self):
        if self.status == self.Status.COMPLETED and self.started_at and self.ended_at:
            return (self.ended_at - self.started_at).total_seconds()
        return None
