import secrets
import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

_ORG_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_organization_id():
    return "ORG-" + "".join(secrets.choice(_ORG_ID_ALPHABET) for _ in range(5))


@cache
def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value):
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a valid time zone."), code="invalid_time_zone")


class StaffContact(models.Model):
    """A person at the vendor whom customers may contact: a Customer Success Manager, an
    Account Executive, or a support staff member."""

    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_contact",
        limit_choices_to={"is_staff": True},
    )
    # ADM-4: customers see these people on their account team; staff see who changed them.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff contact")
        verbose_name_plural = _("staff contacts")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split()[:2]).upper()


class Organization(models.Model):
    class DataCenter(models.TextChoices):
        FRA1 = "fra1", _("Frankfurt (fra1)")
        IAD1 = "iad1", _("Washington, D.C. (iad1)")
        SYD1 = "syd1", _("Sydney (syd1)")
        GOV1 = "gov1", _("US Government (gov1)")

    class LicenseType(models.TextChoices):
        FREE = "free", _("Free")
        SELF_SERVICE = "self_service", _("Self-service")
        ENTERPRISE = "enterprise", _("Enterprise")

    public_id = models.CharField(
        _("organization id"), max_length=12, unique=True, default=new_organization_id, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    data_center = models.CharField(_("data center"), max_length=8, choices=DataCenter.choices)
    license_type = models.CharField(_("license type"), max_length=16, choices=LicenseType.choices)
    is_fedramp = models.BooleanField(_("FedRAMP environment"), default=False)
    success_packages = models.PositiveSmallIntegerField(_("Success packages"), default=0)
    billing_contacts_enabled = models.BooleanField(
        _("billing contacts feature"),
        default=False,
        help_text=_("Lets customers see and edit their contracts' primary and billing contacts."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    customer_success_manager = models.ForeignKey(
        StaffContact,
        verbose_name=_("Customer Success Manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations_managed",
    )
    account_executive = models.ForeignKey(
        StaffContact,
        verbose_name=_("Account Executive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations_sold",
    )
    # PRO-3 / PRO-8: the brand administrator standard users see, or a contact of the org's choosing.
    admin_contact = models.ForeignKey(
        "User",
        verbose_name=_("brand administrator shown to standard users"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"user_type": "brand_admin"},
    )
    admin_contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    admin_contact_email = models.EmailField(_("contact email"), blank=True)
    admin_contact_phone = PhoneNumberField(_("contact phone"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # ADM-3/ADM-4: account teams, the contact shown to standard users and entitlements are
    # changed by staff and by brand administrators; every change is kept with who and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.public_id})"

    @property
    def is_free(self):
        return self.license_type == self.LicenseType.FREE

    @property
    def is_self_service(self):
        return self.license_type == self.LicenseType.SELF_SERVICE

    @property
    def is_enterprise(self):
        return self.license_type == self.LicenseType.ENTERPRISE


class HubUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    class UserType(models.TextChoices):
        STANDARD = "standard", _("Standard user")
        BRAND_ADMIN = "brand_admin", _("Brand administrator")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Every customer user belongs to exactly one organization; vendor staff to none."),
    )
    user_type = models.CharField(
        _("user type"), max_length=16, choices=UserType.choices, default=UserType.STANDARD
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text=_("Empty: the browser's language."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone],
        help_text=_("Empty: the organization's time zone."),
    )
    # PRO-6: a deleted account stays as an anonymized row, so the records that point at it
    # (requests, tickets) keep their history and show "Deleted user".
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = HubUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="hub_user_email_ci_unique"
            ),
            models.UniqueConstraint(Lower("username"), name="hub_user_username_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(is_staff=True) | models.Q(organization__isnull=False),
                name="hub_user_customer_has_organization",
            ),
        ]

    def __str__(self):
        if self.deleted_at is not None:
            return gettext("Deleted user")
        return self.get_full_name() or self.username

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_brand_admin(self):
        return self.user_type == self.UserType.BRAND_ADMIN

    @property
    def is_customer(self):
        return self.organization_id is not None

    @property
    def is_fedramp(self):
        return self.organization_id is not None and self.organization.is_fedramp

    @property
    def effective_time_zone(self):
        if self.time_zone:
            return self.time_zone
        if self.organization_id is not None:
            return self.organization.time_zone
        return settings.TIME_ZONE


class OutboundEmail(models.Model):
    """Durable intent to send one email. Rendered in the recipient's language when queued; a
    Celery task delivers it. Staff read every email the hub sent in the admin (OPS-1)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, null=True, blank=True,
        help_text=_("Queuing the same key twice sends one email."),
    )
    template = models.CharField(_("template"), max_length=100)
    to_email = models.EmailField(_("to"))
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    category = models.CharField(
        _("subscription category"), max_length=50, blank=True,
        help_text=_("Set for marketing emails; they carry one-click unsubscribe headers."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    reply_to = models.EmailField(_("reply-to"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_("A list of {filename, content, mimetype}; text content only."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="hub_email_status_created"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"


class Heartbeat(models.Model):
    """Written by a beat-scheduled task that a worker runs: proof that beat and a worker live."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.name


# AUTH-2: the per-organization sign-in settings live in the hub.sso package.
from .sso.models import OrganizationSignIn  # noqa: E402, F401
