"""Email preferences (PREF-1..8): categories, the preferences of an email address, the consent
ledger, and the outbox that carries changes to the mailing system.

Preferences belong to an email address (PREF-1), not to a user row: the same address managed from
the hub, from a link in any email, from a one-click unsubscribe or in the mailing system is one
record. Addresses are stored lower-cased, so the match is case-insensitive.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EmailCategory(models.Model):
    """A kind of email the vendor sends (PREF-2). Data, edited by staff; the `key` is also the
    list's identifier in the mailing system, so it never changes once created."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        BRAND_ADMINS = "brand_admins", _("Brand administrators only")

    key = models.SlugField(
        _("key"), max_length=50, unique=True,
        help_text=_("The list's identifier in the mailing system and in emails; never changes."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("In English; translations below."))
    description = models.TextField(_("description"), help_text=_("In English; translations below."))
    audience = models.CharField(_("shown to"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    is_always_on = models.BooleanField(
        _("always on"), default=False,
        help_text=_("Nobody can turn it off (PREF-3); its emails carry no unsubscribe headers."),
    )
    is_subscribed_by_default = models.BooleanField(
        _("subscribed by default"), default=True,
        help_text=_("What an address receives until it makes a choice."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive categories are hidden."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email category")
        verbose_name_plural = _("email categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_for_brand_admins_only(self):
        return self.audience == self.Audience.BRAND_ADMINS


class EmailCategoryTranslation(models.Model):
    """A category's name and description in one shipped language other than English. Stored as
    data, not in the gettext catalogs, because staff edit categories: a renamed category would
    otherwise lose its translations until the next release."""

    category = models.ForeignKey(
        EmailCategory, verbose_name=_("email category"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[lang for lang in settings.LANGUAGES if lang[0] != "en"]
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="profiles_category_translation_unique"),
        ]

    def __str__(self):
        return f"{self.category.key} ({self.language})"


class Subscriber(models.Model):
    """An email address the hub or the mailing system writes to, and the owner of its preferences
    (PREF-1). Links in emails name it by `public_id` (never by address) and carry
    `token_version`: raising the version revokes every link sent so far (PREF-6)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True,
        help_text=_("The language of the last email sent to this address; its subscription page uses it."),
    )
    token_version = models.PositiveIntegerField(
        _("link version"), default=1, help_text=_("Raised to revoke every subscription link sent so far.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="profiles_subscriber_email_lower"),
        ]

    def __str__(self):
        return self.email


class EmailPreference(models.Model):
    """One address's explicit choice for one category. No row means the category's default.
    `changed_at` is when the choice was made (here or in the mailing system): the later change
    wins when the two meet (PREF-7)."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("email address"), on_delete=models.CASCADE, related_name="preferences"
    )
    category = models.ForeignKey(
        EmailCategory, verbose_name=_("email category"), on_delete=models.PROTECT, related_name="preferences"
    )
    is_subscribed = models.BooleanField(_("subscribed"))
    changed_at = models.DateTimeField(_("changed"))
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        ordering = ["subscriber", "category__position"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "category"], name="profiles_preference_unique"),
        ]

    def __str__(self):
        return f"{self.subscriber} · {self.category}"


class ConsentEvent(models.Model):
    """The consent ledger: one row per change of one address's choice for one category, from
    wherever it came. Rows are never edited or deleted; staff export them as CSV."""

    class Source(models.TextChoices):
        HUB = "hub", _("Hub")
        EMAIL_LINK = "email_link", _("Email link")
        ONE_CLICK = "one_click", _("One-click unsubscribe")
        SYNC = "sync", _("Mailing system")
        STAFF = "staff", _("Staff")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("email address"), on_delete=models.PROTECT, related_name="consent_events"
    )
    category = models.ForeignKey(
        EmailCategory, verbose_name=_("email category"), on_delete=models.PROTECT, related_name="+"
    )
    old_value = models.BooleanField(
        _("was subscribed"), null=True, blank=True, help_text=_("Empty: no choice yet (the category's default).")
    )
    new_value = models.BooleanField(_("subscribed"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_label = models.CharField(
        _("changed by (as recorded)"), max_length=200,
        help_text=_("Who made the change, kept even if the account is later removed."),
    )
    occurred_at = models.DateTimeField(_("changed at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent ledger entry")
        verbose_name_plural = _("consent ledger entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["subscriber", "occurred_at"], name="profiles_consent_subscriber"),
            models.Index(fields=["occurred_at"], name="profiles_consent_occurred"),
        ]
        permissions = [("export_consentevent", _("Can export the consent ledger as CSV"))]

    def __str__(self):
        return f"{self.subscriber} · {self.category}: {self.old_value} → {self.new_value}"


class PreferenceChange(models.Model):
    """The outbox (PREF-7): a change waiting for, or delivered to, the mailing system. Written in
    the same transaction as the preference, so no change is lost; marked sent only when the
    mailing system acknowledged its idempotency key, so a retry never applies it twice. At most
    one change per preference is pending: a newer choice supersedes the unsent one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Superseded")
        FAILED = "failed", _("Failed")

    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    preference = models.ForeignKey(
        EmailPreference, verbose_name=_("email preference"), on_delete=models.CASCADE, related_name="changes"
    )
    is_subscribed = models.BooleanField(_("subscribed"))
    changed_at = models.DateTimeField(_("changed"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("change for the mailing system")
        verbose_name_plural = _("changes for the mailing system")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["preference"], condition=models.Q(status="pending"), name="profiles_change_one_pending"
            ),
        ]
        indexes = [
            # The sync reads only what is pending: its cost follows the pending changes, not the
            # size of this table or of the preferences.
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="profiles_change_pending"),
            models.Index(
                fields=["id"], condition=models.Q(status="pending", is_subscribed=False),
                name="profiles_change_pending_out",
            ),
            models.Index(fields=["status", "id"], name="profiles_change_status"),
        ]

    def __str__(self):
        return str(self.idempotency_key)


class MailingSyncState(models.Model):
    """Where the last pull from the mailing system stopped (its opaque cursor, the watermark)."""

    name = models.CharField(max_length=50, unique=True)
    pull_cursor = models.CharField(_("pull cursor"), max_length=500, blank=True)
    pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing system watermark")
        verbose_name_plural = _("mailing system watermarks")

    def __str__(self):
        return self.name


class MailingSyncRun(models.Model):
    """One run of the sync with the mailing system, for staff (OPS-1)."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily sync")
        OPT_OUTS = "opt_outs", _("Opt-out relay")
        MANUAL = "manual", _("Started by staff")

    class Status(models.TextChoices):
        OK = "ok", _("Completed")
        FAILED = "failed", _("Failed")
        NOT_CONFIGURED = "not_configured", _("No mailing system configured")
        SKIPPED = "skipped", _("Skipped: another sync was running")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    pushed = models.PositiveIntegerField(_("changes sent"), default=0)
    rejected = models.PositiveIntegerField(_("changes rejected"), default=0)
    pulled = models.PositiveIntegerField(_("remote changes read"), default=0)
    applied = models.PositiveIntegerField(_("remote changes applied"), default=0)
    pending_after = models.PositiveIntegerField(_("pending afterwards"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("mailing system sync run")
        verbose_name_plural = _("mailing system sync runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-started_at"], name="profiles_sync_run_started")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
