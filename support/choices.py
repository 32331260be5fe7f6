"""Vocabulary shared by the support models, the availability engine and the views.

Plain `TextChoices` (no app registry needed), so the pure availability module can import them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a customer reaches support (SUP-5). Every channel ends in a ticket (SUP-6)."""

    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SCHEDULED_CALL = "scheduled_call", _("Scheduled call")


# The order in which the contact-methods page lists channels.
CHANNEL_ORDER = (Channel.CHAT, Channel.EMAIL, Channel.PHONE, Channel.SCHEDULED_CALL)


class Queue(models.TextChoices):
    """Who works a ticket: one queue per team in the admin (ADM-2)."""

    TECHNICAL = "technical", _("Technical support")
    ENTERPRISE = "enterprise", _("Enterprise Support")
    ACCOUNT_SERVICES = "account_services", _("Account Services")
    DISCOVER = "discover", _("XM Discover specialists")


class AccountServicesCategory(models.TextChoices):
    """SUP-12 intake categories."""

    BILLING = "billing_payment", _("Billing or payment")
    VENDOR_FORMS = "vendor_security_forms", _("Vendor and security forms")
    SMS = "sms_onboarding_credit", _("SMS onboarding and credit")
    ACCESS = "product_feature_access", _("Product or feature access")
    LICENSE = "license_request", _("License request")


class LicenseType(models.TextChoices):
    """Mirrors `hub.Organization.LicenseType` so the pure engine needs no model import."""

    FREE = "free", _("Free")
    SELF_SERVICE = "self_service", _("Self-service")
    ENTERPRISE = "enterprise", _("Enterprise")


def support_languages():
    """Languages support can answer in: the hub's eight locales."""
    return list(settings.LANGUAGES)


def support_language_codes():
    return [code for code, _name in settings.LANGUAGES]


ENGLISH = "en"
