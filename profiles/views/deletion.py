from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from hub.access import require
from hub.responses import render_htmx
from profiles.access import can_delete_own_account
from profiles.forms.deletion import DeleteAccountForm
from profiles.services.deletion import IncorrectPassword, delete_own_account


@require_http_methods(["GET", "POST"])
def account_delete(request):
    """PRO-6: users of free and self-service organizations delete their own account after
    re-entering their password; the session ends and they land on the sign-in page."""
    user = request.user
    require(can_delete_own_account(user))
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Password guesses share allauth's re-authentication limit (AUTH-4).
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error("password", _("Too many attempts. Wait a minute, then try again."))
        else:
            try:
                delete_own_account(actor=user, password=form.cleaned_data["password"])
            except IncorrectPassword as exc:
                form.add_error("password", exc)
            else:
                logout(request)
                messages.success(
                    request, _("Your account has been deleted. We sent a confirmation to your email address.")
                )
                login_url = reverse("account_login")
                return HttpResponseClientRedirect(login_url) if request.htmx else redirect(login_url)
    context = {
        "current_section": "account",
        "form": form,
        "license_url": settings.HUB_LICENSE_URL,
    }
    return render_htmx(
        request, "profiles/account_delete.html", context, partial="delete_form", status=422 if form.errors else 200
    )
