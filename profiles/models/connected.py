"""Connected accounts (CON-1..4): what the vendor's Community and Academy know about a user, as the
periodic sync last stored it, and the sync runs themselves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ConnectedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own Community and Academy records, for those who may see the section."""
        from profiles.access import can_see_connected_accounts

        if not can_see_connected_accounts(user):
            return self.none()
        return self.filter(user=user)


class CommunityProfile(models.Model):
    """CON-1: the user's Community account, matched by email address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="community_profile",
    )
    username = models.CharField(_("Community username"), max_length=150)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    topics_count = models.PositiveIntegerField(_("topics participated in"), default=0)
    profile_url = models.URLField(_("profile link"), max_length=500, blank=True)
    changed_at = models.DateTimeField(
        _("last changed"), help_text=_("When the sync last stored a change from the Community.")
    )
    history = HistoricalRecords()

    objects = ConnectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Community profile")
        verbose_name_plural = _("Community profiles")
        ordering = ["user_id"]

    def __str__(self):
        return self.username


class Certification(models.Model):
    """CON-2: one Academy certification of the user, in progress or completed."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("certification status", "In progress")
        COMPLETED = "completed", pgettext_lazy("certification status", "Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="certifications",
    )
    external_id = models.CharField(_("Academy id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_url = models.URLField(_("certificate link"), max_length=500, blank=True)
    changed_at = models.DateTimeField(
        _("last changed"), help_text=_("When the sync last stored a change from the Academy.")
    )
    history = HistoricalRecords()

    objects = ConnectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Academy certification")
        verbose_name_plural = _("Academy certifications")
        # In progress first (something to finish), then the most recently completed.
        ordering = ["-status", models.F("completed_on").desc(nulls_last=True), "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "external_id"], name="profiles_certification_unique_per_user"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="profiles_cert_user_status")]

    def __str__(self):
        return self.name


class ConnectedAccountsSync(models.Model):
    """One run of the Community/Academy sync. The run keeps its keyset cursor, so a lost batch
    message is resumed by the next start instead of starting over; staff read the runs in the admin."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    progressed_at = models.DateTimeField(_("last progress"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    is_running = models.BooleanField(_("running"), default=True)
    cursor = models.BigIntegerField(_("last user id processed"), default=0)
    users_checked = models.PositiveIntegerField(_("users checked"), default=0)
    records_changed = models.PositiveIntegerField(_("records changed"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)

    class Meta:
        verbose_name = _("connected accounts sync")
        verbose_name_plural = _("connected accounts syncs")
        ordering = ["-started_at"]
        constraints = [
            # At most one run at a time: a second start while one is running creates nothing.
            models.UniqueConstraint(
                fields=["is_running"], condition=models.Q(is_running=True), name="profiles_one_running_sync"
            ),
        ]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"
