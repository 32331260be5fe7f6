import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class UserPreferencesMiddleware:
    """Activates the signed-in user's language and time zone (I18N-1). Without a saved language,
    the browser's (LocaleMiddleware's choice) stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language and user.language != request.LANGUAGE_CODE:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.effective_time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class StaffMfaMiddleware:
    """AUTH-3: staff reach the admin only after signing in with a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.HUB_ADMIN_REQUIRES_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not _signed_in_with_mfa(request)
        ):
            messages.warning(
                request,
                _("Staff accounts must use two-factor authentication to open the admin. "
                  "Set it up here, then sign in again."),
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)


def _signed_in_with_mfa(request):
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))
