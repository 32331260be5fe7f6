"""Renewal records (REN-1..7): one per contract and renewal cycle, saved at every wizard step on
the server, with its full history for staff.

A renewal belongs to (contract, cycle), the cycle being the contract's end date when the renewal
was started, like billing's confirmations and reminders. Contacts are not copied here while the
renewal is open: the wizard edits billing's `ContractContact` rows (REN-5), the one source of
truth. When staff mark the renewal invoiced, the contacts and the invoice address are frozen onto
it, so later contact edits no longer apply to it (REN-7).
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from billing.models import Contract, updater_display

# The wizard's steps, in order (REN-2). Keys appear in URLs: never rename them.
STEPS = ("intent", "primary", "billing", "po", "addresses", "instructions", "review")
STEP_LABELS = {
    "intent": _("Intent"),
    "primary": _("Primary contact"),
    "billing": _("Billing contact"),
    "po": _("PO number"),
    "addresses": _("Addresses"),
    "instructions": _("Instructions"),
    "review": _("Review"),
}
ADDRESS_KINDS = ("shipping", "billing")
ADDRESS_PARTS = ("company", "street", "city", "postal_code", "country")


ADDRESS_ACTIONS = [("confirmed", _("Confirmed as on file")), ("changed", _("Change requested"))]


class RenewalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Renewals of the contracts the user may see (BILL-2); who may *act* on them is
        `renewals.access`."""
        return self.filter(contract__in=Contract.objects.visible_to(user))


class Renewal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        INVOICED = "invoiced", _("Invoiced")

    class Intent(models.TextChoices):
        RENEW = "renew", _("Renew")
        NOT_RENEWING = "not_renewing", _("Not renewing")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="renewals"
    )
    cycle = models.DateField(_("renewal date"), help_text=_("The contract's end date this renewal is for."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    intent = models.CharField(_("intent"), max_length=16, choices=Intent.choices, blank=True)
    not_renewing_reason = models.TextField(_("reason for not renewing"), blank=True)
    completed_steps = models.PositiveSmallIntegerField(
        _("steps completed"), default=0, help_text=_("How many wizard steps are done, in order.")
    )
    po_number = models.CharField(_("PO number"), max_length=64, blank=True)
    no_po_needed = models.BooleanField(_("no PO number needed"), default=False)
    shipping_address_action = models.CharField(_("shipping address"), max_length=16, blank=True, choices=ADDRESS_ACTIONS)
    shipping_company = models.CharField(_("shipping address: company"), max_length=200, blank=True)
    shipping_street = models.CharField(_("shipping address: street"), max_length=200, blank=True)
    shipping_city = models.CharField(_("shipping address: city"), max_length=200, blank=True)
    shipping_postal_code = models.CharField(_("shipping address: postal code"), max_length=20, blank=True)
    shipping_country = CountryField(_("shipping address: country"), blank=True)
    billing_address_action = models.CharField(_("billing address"), max_length=16, blank=True, choices=ADDRESS_ACTIONS)
    billing_company = models.CharField(_("billing address: company"), max_length=200, blank=True)
    billing_street = models.CharField(_("billing address: street"), max_length=200, blank=True)
    billing_city = models.CharField(_("billing address: city"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("billing address: postal code"), max_length=20, blank=True)
    billing_country = CountryField(_("billing address: country"), blank=True)
    instructions = models.TextField(_("additional billing instructions"), blank=True)
    no_instructions = models.BooleanField(_("no additional instructions"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    invoice_email = models.EmailField(
        _("invoice email"), blank=True,
        help_text=_("The billing contact when submitted; frozen when invoiced."),
    )
    invoice_send_date = models.DateField(_("invoice send date"), null=True, blank=True)
    invoiced_at = models.DateTimeField(_("invoiced at"), null=True, blank=True)
    frozen_contacts = models.JSONField(
        _("contacts when invoiced"), default=dict, blank=True,
        help_text=_("The primary and billing contacts as they were when the renewal was invoiced."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords()

    objects = RenewalQuerySet.as_manager()

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        ordering = ["cycle", "contract"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "cycle"], name="renewals_one_per_contract_cycle"),
            models.CheckConstraint(
                condition=Q(completed_steps__lte=len(STEPS)), name="renewals_completed_steps_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "invoiced"]) | Q(submitted_at__isnull=False),
                name="renewals_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(no_po_needed=True, po_number__gt=""), name="renewals_po_or_none"
            ),
        ]
        indexes = [models.Index(fields=["status", "cycle"], name="renewals_status_cycle")]

    def __str__(self):
        return f"{self.contract} · {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.INVOICED)

    @property
    def is_invoiced(self) -> bool:
        return self.status == self.Status.INVOICED

    @property
    def is_not_renewing(self) -> bool:
        return self.intent == self.Intent.NOT_RENEWING

    @property
    def updated_by_display(self) -> str:
        """Who last changed the renewal, as customers see it."""
        return updater_display(self.updated_by)

    def copy_addresses_from(self, previous: "Renewal"):
        """A new cycle starts from the addresses confirmed last time (billing stores none)."""
        for kind in ADDRESS_KINDS:
            for part in ADDRESS_PARTS:
                setattr(self, f"{kind}_{part}", getattr(previous, f"{kind}_{part}"))

    def address(self, kind: str) -> dict:
        return {part: getattr(self, f"{kind}_{part}") for part in ADDRESS_PARTS}

    def has_address(self, kind: str) -> bool:
        values = self.address(kind)
        return bool(values["street"] and values["city"] and values["country"])

    def address_lines(self, kind: str) -> list[str]:
        values = self.address(kind)
        city = " ".join(part for part in (values["postal_code"], values["city"]) if part)
        country = values["country"].name if values["country"] else ""
        return [line for line in (values["company"], values["street"], city, country) if line]

    def days_to_renewal(self, today: date) -> int:
        return (self.cycle - today).days


def invoice_send_date(*, renewal_date: date, submitted_on: date) -> date:
    """REN-6, the documented rule: the invoice goes out `RENEWAL_INVOICE_DAYS_BEFORE` days
    before the renewal date (30 by default); a renewal submitted later than that is invoiced the
    next day."""
    planned = renewal_date - timedelta(days=settings.RENEWAL_INVOICE_DAYS_BEFORE)
    return max(planned, submitted_on + timedelta(days=1))
