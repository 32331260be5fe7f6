import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hub.access import OrganizationQuerySet


class AccountServicesRequestQuerySet(OrganizationQuerySet):
    def visible_to(self, user):
        """Requesters see their own requests; brand administrators their organization's."""
        rows = super().visible_to(user)
        return rows if user.is_authenticated and user.is_brand_admin else rows.filter(requester=user)


class AccountServicesRequest(models.Model):
    """A request to Account Services (SUP-12): from the profile intake form (PRO-4), the billing
    page's Contact us form (BILL-5) or the support flow. Support turns these into tickets."""

    class Category(models.TextChoices):
        BILLING = "billing_payment", _("Billing or payment")
        VENDOR_FORMS = "vendor_security_forms", _("Vendor and security forms")
        SMS = "sms_onboarding_credit", _("SMS onboarding and credit")
        ACCESS = "product_feature_access", _("Product or feature access")
        LICENSE = "license_request", _("License request")

    class Source(models.TextChoices):
        PROFILE = "profile", _("Profile: account team intake")
        BILLING = "billing", _("Billing: questions about a quote or invoice")
        SUPPORT = "support", _("Support: Account Services")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    contract_number = models.CharField(_("contract number"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = AccountServicesRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("Account Services request")
        verbose_name_plural = _("Account Services requests")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject
