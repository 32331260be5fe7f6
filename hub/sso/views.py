import logging

import requests
from allauth.account.stages import LoginStageController
from allauth.account.utils import get_next_redirect_url
from allauth.account.views import LoginView
from allauth.core import ratelimit
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..responses import render_htmx
from .forms import SSOStartForm
from .selectors import sso_for_organization_id
from .stages import SystemUseNoticeStage, record_notice_accepted

logger = logging.getLogger(__name__)

# One answer for an unknown id, an organization without SSO and one whose SSO is off: the form
# must not tell a visitor which organization ids exist or which of them use single sign-on.
NOT_AVAILABLE = _(
    "Single sign-on cannot start for this organization id. Check the id with your brand "
    "administrator, or sign in with your password."
)
TOO_MANY = _("Too many attempts. Wait a few minutes, then try again.")
PROVIDER_UNREACHABLE = _(
    "Your organization’s identity provider cannot be reached right now. Try again in a few minutes, "
    "or contact your IT team."
)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sso_start(request, fedramp=False):
    """AUTH-2: **Sign in with SSO** → organization id → that organization's identity provider."""
    if request.user.is_authenticated:
        return redirect("hub:home")
    template = "sso/fedramp_sso_start.html" if fedramp else "sso/sso_start.html"
    next_url = get_next_redirect_url(request)
    form = SSOStartForm(request.POST or None)
    context = {"form": form, "next_url": next_url, "submit_label": _("Accept and continue") if fedramp else _("Continue")}
    if request.method == "POST":
        if form.is_valid():
            if not ratelimit.consume(request, action="sso_start"):
                form.add_error(None, TOO_MANY)
            else:
                sign_in = sso_for_organization_id(form.cleaned_data["organization_id"])
                if sign_in is None:
                    form.add_error("organization_id", NOT_AVAILABLE)
                else:
                    if fedramp:
                        record_notice_accepted(request)
                    response = _redirect_to_provider(request, sign_in, next_url)
                    if response is not None:
                        return response
                    form.add_error(None, PROVIDER_UNREACHABLE)
        return render_htmx(request, template, context, partial="sso_form", status=422)
    return render_htmx(request, template, context, partial="sso_form")


def _redirect_to_provider(request, sign_in, next_url):
    """allauth's own redirect (state, nonce and PKCE kept in the session). The browser is sent on by
    htmx, or by a page that forwards it: a form's redirect to another origin would break the
    Content-Security-Policy `form-action 'self'` every page carries."""
    provider = sign_in.social_app.get_provider(request)
    try:
        response = provider.redirect(request, AuthProcess.LOGIN, next_url=next_url)
    except (requests.RequestException, ValueError, KeyError):
        logger.warning("identity provider unreachable", extra={"organization": sign_in.organization.public_id})
        return None
    if response.status_code != 302:
        return response
    location = response["Location"]
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": location})
    return render(request, "sso/sso_redirect.html", {"provider_url": location})


class FedrampLoginView(LoginView):
    """The FedRAMP environment's sign-in page: the system-use notification above the form, and
    signing in is the explicit acceptance of it."""

    template_name = "sso/fedramp_login.html"

    def form_valid(self, form):
        record_notice_accepted(self.request)
        return super().form_valid(form)


fedramp_login = login_not_required(FedrampLoginView.as_view())


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def system_use_notice(request):
    """The sign-in step for FedRAMP users who came another way than the FedRAMP page."""
    stage = LoginStageController.enter(request, SystemUseNoticeStage.key)
    if request.user.is_authenticated or stage is None:
        return redirect("account_login")
    if request.method == "POST":
        if "decline" in request.POST:
            return stage.abort()
        return stage.exit()
    return render(request, "sso/system_use_notice.html")
