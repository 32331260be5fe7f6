from django.conf import settings
from django.urls import NoReverseMatch, reverse


def contact_url():
    """HOME-1: the header's Contact link starts the in-hub support flow (SUP-1) when the support
    app provides it, else the vendor's support site."""
    try:
        return reverse("support:contact")
    except NoReverseMatch:
        return settings.HUB_SUPPORT_HELP_URL


def hub(request):
    return {
        "hub_vendor_name": settings.HUB_VENDOR_NAME,
        "hub_vendor_logo": settings.HUB_VENDOR_LOGO,
        "hub_community_name": settings.HUB_COMMUNITY_NAME,
        "hub_community_url": settings.HUB_COMMUNITY_URL,
        "hub_academy_name": settings.HUB_ACADEMY_NAME,
        "hub_academy_url": settings.HUB_ACADEMY_URL,
        "hub_status_url": settings.HUB_STATUS_URL,
        "hub_support_help_url": settings.HUB_SUPPORT_HELP_URL,
        "hub_contact_url": contact_url(),
    }
