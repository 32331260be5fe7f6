"""Contracts, their license lines and contacts, and the per-cycle records of the 150-day
confirmation (BILL-9) and the contract window reminders (REN-8).

The renewal cycle of a contract is its end date, the renewal date: staff renew a contract by
moving its dates forward, which starts a new cycle. Confirmations and reminders belong to
(contract, cycle), so they start afresh with every renewal.
"""

import calendar
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hub.access import is_brand_admin, is_customer

CONTRACT_NUMBER_PATTERN = r"[0-9]{4,20}"
validate_contract_number = RegexValidator(
    rf"^{CONTRACT_NUMBER_PATTERN}$", _("A contract number has 4 to 20 digits."), code="invalid_contract_number"
)


def organization_today(organization, now: datetime | None = None) -> date:
    """Today's date where the organization is: contract windows are counted in its time zone."""
    try:
        zone = zoneinfo.ZoneInfo(organization.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(now or timezone.now(), zone).date()


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """BILL-2: brand administrators see every contract of their organization; other customer
        users only the contracts naming their account email (any case) as primary or billing
        contact; staff and strangers nothing."""
        if not is_customer(user):
            return self.none()
        rows = self.filter(organization_id=user.organization_id)
        if is_brand_admin(user):
            return rows
        if not user.email:
            return self.none()
        return rows.filter(
            Exists(
                ContractContact.objects.alias(email_lower=Lower("email")).filter(
                    contract=OuterRef("pk"), email_lower=user.email.lower()
                )
            )
        )

    def with_local_today(self, now: datetime | None = None):
        """Annotate `local_today`: the date in each contract's organization's time zone at `now`."""
        return self.alias(
            local_today=Cast(
                Func(
                    F("organization__time_zone"),
                    Value(now or timezone.now(), output_field=models.DateTimeField()),
                    function="timezone",
                    output_field=models.DateTimeField(),
                ),
                models.DateField(),
            )
        )

    def in_window(self, days: int, now: datetime | None = None):
        """Contracts that end within `days` days from today, today included, counted in their
        organization's time zone: day 150 before the end is inside the 150-day window, day 151
        is not, and an ended contract is in no window."""
        return self.with_local_today(now).filter(
            end_date__gte=F("local_today"),
            end_date__lte=ExpressionWrapper(F("local_today") + Value(days), output_field=models.DateField()),
        )

    def unconfirmed_this_cycle(self):
        """Contracts whose contacts nobody has confirmed or edited for the current cycle."""
        return self.filter(
            ~Exists(ContactConfirmation.objects.filter(contract=OuterRef("pk"), cycle=OuterRef("end_date")))
        )

    def with_confirmation_state(self):
        """Annotate `is_confirmed_this_cycle` (BILL-9)."""
        return self.annotate(
            is_confirmed_this_cycle=Exists(
                ContactConfirmation.objects.filter(contract=OuterRef("pk"), cycle=OuterRef("end_date"))
            )
        )


class Contract(models.Model):
    """A customer contract (BILL-3). The number comes from the vendor's billing system and is the
    contract's public id in URLs."""

    contract_number = models.CharField(
        _("contract number"), max_length=20, unique=True, validators=[validate_contract_number],
        help_text=_("The number from the billing system: 4 to 20 digits."),
    )
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="contracts"
    )
    start_date = models.DateField(_("start date"), help_text=_("When the current term began (the last renewal)."))
    end_date = models.DateField(
        _("end date"),
        help_text=_("The renewal date. Moving it forward starts a new renewal cycle."),
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["end_date", "contract_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="billing_contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(contract_number__regex=rf"^{CONTRACT_NUMBER_PATTERN}$"),
                name="billing_contract_number_digits",
            ),
        ]

    def __str__(self):
        return self.contract_number

    @property
    def cycle(self) -> date:
        """The renewal cycle this contract is in: its renewal (end) date."""
        return self.end_date

    @property
    def term_months(self) -> int:
        """The term in whole months, derived from the dates. The end date is the term's last day,
        so 2025-01-01 → 2025-12-31 is 12 months; half a month or more left over rounds up."""
        after_end = self.end_date + timedelta(days=1)
        months = (after_end.year - self.start_date.year) * 12 + after_end.month - self.start_date.month
        while months > 0 and add_months(self.start_date, months) > after_end:
            months -= 1
        remainder = (after_end - add_months(self.start_date, months)).days
        return max(months + (1 if remainder >= 15 else 0), 1)

    def today(self, now: datetime | None = None) -> date:
        return organization_today(self.organization, now)

    def days_until_end(self, now: datetime | None = None) -> int:
        """Days from today (in the organization's time zone) to the end date; negative once ended."""
        return (self.end_date - self.today(now)).days

    def is_in_window(self, days: int, now: datetime | None = None) -> bool:
        """The Python twin of `ContractQuerySet.in_window`."""
        return 0 <= self.days_until_end(now) <= days


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ContractLicense(models.Model):
    """One line of a contract's licenses: a product and a quantity."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="licenses"
    )
    product = models.CharField(_("product"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("license")
        verbose_name_plural = _("licenses")
        ordering = ["product", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_license_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product} × {self.quantity}"


def updater_display(user) -> str:
    """Who last changed a record, as customers see it: vendor staff as the Account Services team."""
    if user is None:
        return ""
    if user.is_staff:
        return gettext("%(vendor)s Account Services") % {"vendor": settings.HUB_VENDOR_NAME}
    return user.get_full_name() or user.username


class ContractContact(models.Model):
    """The primary or the billing contact of a contract (BILL-6): the one record that the billing
    page, the renewal wizard and the reminder emails all read and write. A hub user *is* this
    contact when their account email equals `email`, ignoring case.

    `version` grows by one with every save through the services: an edit made from a stale
    form is refused instead of silently overwriting someone else's change (optimistic locking)."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary contact")
        BILLING = "billing", _("Billing contact")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last updated"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract contact")
        verbose_name_plural = _("contract contacts")
        ordering = ["contract", "role"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "role"], name="billing_contact_one_per_role"),
        ]
        indexes = [models.Index(Lower("email"), name="billing_contact_email_ci")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def updated_by_display(self) -> str:
        """BILL-8: who last changed the contact, as customers see it."""
        return updater_display(self.updated_by)

    def is_person(self, user) -> bool:
        return bool(user.email) and user.email.lower() == self.email.lower()

    @property
    def is_updated_since_renewal(self) -> bool:
        """BILL-8: changed during the current term, which began at the last renewal (start date)."""
        if self.updated_at is None:
            return False
        return organization_today(self.contract.organization, self.updated_at) >= self.contract.start_date


class ContactConfirmation(models.Model):
    """BILL-9: someone confirmed (or edited) a contract's contacts for one renewal cycle."""

    class Method(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        EDITED = "edited", _("Edited")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="confirmations"
    )
    cycle = models.DateField(_("renewal cycle"), help_text=_("The contract's end date when it was confirmed."))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact confirmation")
        verbose_name_plural = _("contact confirmations")
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "cycle"], name="billing_confirmation_once_per_cycle"),
        ]

    def __str__(self):
        return f"{self.contract} · {self.cycle}"


class ContractReminder(models.Model):
    """One reminder email for one contract, kind, cycle and recipient (REN-8). The unique
    constraint is what makes the daily job send exactly once, however often it runs."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=50)
    cycle = models.DateField(_("renewal cycle"))
    recipient_email = models.EmailField(_("recipient"), help_text=_("Stored in lower case."))
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    email = models.ForeignKey(
        "hub.OutboundEmail", verbose_name=_("email"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract reminder")
        verbose_name_plural = _("contract reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "cycle", "recipient_email"], name="billing_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(recipient_email=Lower("recipient_email")), name="billing_reminder_email_lower"
            ),
        ]

    def __str__(self):
        return f"{self.kind} · {self.contract} · {self.recipient_email}"
