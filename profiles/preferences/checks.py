"""System checks for the mailing-system settings (PREF-7)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_mailing_system_settings(app_configs, **kwargs):
    if settings.HUB_MAILING_SYSTEM_URL and not settings.HUB_MAILING_SYSTEM_SECRET:
        return [Error(
            "HUB_MAILING_SYSTEM_URL is set but HUB_MAILING_SYSTEM_SECRET is empty.",
            hint="Set the shared secret that signs requests to the mailing system.",
            id="profiles.E001",
        )]
    return []


@register(deploy=True)
def check_mailing_system_uses_https(app_configs, **kwargs):
    if settings.HUB_MAILING_SYSTEM_URL and urlsplit(settings.HUB_MAILING_SYSTEM_URL).scheme != "https":
        return [Warning(
            "HUB_MAILING_SYSTEM_URL does not use HTTPS; email addresses and consent would travel in clear.",
            id="profiles.W001",
        )]
    return []
