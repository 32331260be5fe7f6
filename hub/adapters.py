from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.utils import filter_users_by_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect, render

from .notifications import queue_email
from .sso import policy
from .sso import services as sso_services


class HubAccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by the vendor and by brand administrators in the product, so the
    hub has no public sign-up. allauth's emails go through the hub's queue like every other."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        template = "allauth/" + template_prefix.rsplit("/", 1)[-1]
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        context = {key: value for key, value in context.items() if key != "request"}
        if template == "allauth/unknown_account" and match and match.url_name == "account_request_login_code":
            # allauth words one "unknown account" email for password resets and sign-in codes alike.
            template = "sso/login_code_unknown_account"
        if template == "allauth/login_code":
            # AUTH-2: a sign-in code only ever leaves for a user whose organization signs in with
            # codes; anyone else who asked is told how their organization signs in instead. The
            # page answered the same either way, so nobody else learns which case it was.
            users = filter_users_by_email(email, is_active=True, prefer_verified=True)
            user = users[0] if users else None
            if not policy.login_code_allowed(user):
                template = "sso/login_code_unavailable"
                context.pop("code", None)
        queue_email(
            to_email=email,
            template=template,
            context=context,
            user=user if getattr(user, "pk", None) else None,
        )

    def pre_login(self, request, user, **kwargs):
        """AUTH-2: the last gate of every sign-in — password, emailed code or SSO — applies the
        organization's sign-in policy (the login form already refused a right password with a
        message; this also covers every other way allauth signs someone in)."""
        records = get_authentication_records(request, user)
        method = records[-1]["method"] if records else ""
        refusal = policy.login_refusal(user, method)
        if refusal:
            messages.error(request, refusal)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def get_login_stages(self):
        # FedRAMP users accept the system-use notification before their second factor.
        stages = list(super().get_login_stages())
        position = next((i for i, path in enumerate(stages) if path.startswith("allauth.mfa.")), len(stages))
        stages.insert(position, "hub.sso.stages.SystemUseNoticeStage")
        return stages


class HubSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social sign-in is only ever an organization's own identity provider (AUTH-2)."""

    def is_open_for_signup(self, request, sociallogin):
        return sso_services.is_sso_signup_allowed(sociallogin)

    def pre_social_login(self, request, sociallogin):
        try:
            sso_services.admit_sso_login(request=request, sociallogin=sociallogin)
        except sso_services.SSORefused as refused:
            raise ImmediateHttpResponse(
                render(request, "sso/sso_refused.html", {"message": refused.message}, status=403)
            ) from refused

    def save_user(self, request, sociallogin, form=None):
        sso_services.prepare_sso_user(sociallogin)
        return super().save_user(request, sociallogin, form)

    def authenticate_by_email(self, sociallogin):
        # allauth's own email matching spans every organization; the hub matches in
        # `admit_sso_login`, within the provider's organization only.
        return None
