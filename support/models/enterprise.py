"""Enterprise Support (ENT-1..3): who is designated, the hand-overs due when the Enterprise window
opens, and the identity verifications customers give after an escalation.

Rows are never deleted: removing a designation stamps it, so the table is the history of who
designated or removed whom, and when."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.access import is_brand_admin

# ENT-1: seats per Success package.
SEATS_PER_PACKAGE = 5


class EnterpriseDesignationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)

    def visible_to(self, user):
        """Brand administrators manage their own organization's designations; nobody else sees any."""
        if not is_brand_admin(user):
            return self.none()
        return self.filter(organization_id=user.organization_id)


class EnterpriseDesignation(models.Model):
    """One user designated for Enterprise Support, from `designated_at` until `removed_at`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.CASCADE,
        related_name="enterprise_designations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="enterprise_designations",
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("designated by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    designated_at = models.DateTimeField(_("designated"), default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = EnterpriseDesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Enterprise Support designation")
        verbose_name_plural = _("Enterprise Support designations")
        ordering = ["-designated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(removed_at__isnull=True), name="support_enterprise_one_active_per_user",
                violation_error_message=_("This user is already designated for Enterprise Support."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "removed_at"], name="support_ent_designation_org")]

    def __str__(self):
        return f"{self.user} ({self.organization})"


class EnterpriseHandover(models.Model):
    """ENT-2: a designated user's request that arrived outside Enterprise hours and went to
    general support. The beat task hands it to the Enterprise queue when the window opens, once:
    the row is the durable intent, `handed_over_at` the claim."""

    ticket = models.OneToOneField(
        "support.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="enterprise_handover",
    )
    flagged_at = models.DateTimeField(_("flagged"), default=timezone.now)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)

    class Meta:
        verbose_name = _("Enterprise hand-over")
        verbose_name_plural = _("Enterprise hand-overs")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["id"], condition=Q(handed_over_at__isnull=True), name="support_ent_handover_pending"),
        ]

    def __str__(self):
        return str(self.ticket_id)


class EnterpriseVerification(models.Model):
    """ENT-3: an escalation to Enterprise Support waits for the customer to verify their identity
    (re-authentication) and to say whether support may access their account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(
        "support.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="enterprise_verifications",
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated"), default=timezone.now)
    previous_status = models.CharField(_("status before"), max_length=24)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    allows_account_access = models.BooleanField(_("support may access the account"), null=True, blank=True)

    class Meta:
        verbose_name = _("Enterprise verification")
        verbose_name_plural = _("Enterprise verifications")
        ordering = ["-escalated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(verified_at__isnull=True), name="support_ent_one_pending_verification",
            ),
        ]

    def __str__(self):
        return str(self.ticket_id)

    @property
    def is_pending(self):
        return self.verified_at is None
