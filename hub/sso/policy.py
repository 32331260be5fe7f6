"""Which ways in each user has (AUTH-2). One place that the login form, the allauth adapters, the
sign-in-code email and the tests all ask.

| organization's settings            | password | SSO | emailed code |
|------------------------------------|----------|-----|--------------|
| none (the default)                 | yes      | no  | no           |
| SSO on                             | yes      | yes | no           |
| SSO on, password refused           | no       | yes | no           |
| emailed code on (older setup)      | yes      | —   | yes          |
| emailed code on, password refused  | no       | —   | yes          |
"""

from django.utils.translation import gettext_lazy as _

from .selectors import sign_in_for_user

SSO_REQUIRED = _(
    "Your organization signs in with single sign-on. Choose “Sign in with SSO” and enter your "
    "organization id."
)
CODE_REQUIRED = _(
    "Your organization signs in with a one-time code sent by email. Choose “Email me a sign-in code”."
)
CODE_NOT_OFFERED = _(
    "Your organization does not sign in with emailed codes. Sign in with your password or with SSO."
)


def password_login_refusal(user):
    """Why `user` may not sign in with a password (a translated message), or None when they may.
    Ask only after the password proved right: telling anyone else would reveal that the account
    exists and how its organization signs in."""
    sign_in = sign_in_for_user(user)
    if sign_in is None or not sign_in.enforce_sso:
        return None
    return SSO_REQUIRED if sign_in.sso_available else CODE_REQUIRED


def login_code_allowed(user) -> bool:
    """Whether `user` may sign in with an emailed one-time code: only users of organizations on
    the older setup (staff never; they use their password and a second factor)."""
    sign_in = sign_in_for_user(user)
    return bool(user is not None and user.is_active and sign_in is not None and sign_in.allow_login_code)


def login_refusal(user, method: str):
    """The last gate before any sign-in completes (allauth's `pre_login`): `method` is how the user
    just authenticated ("password", "code", "socialaccount", …)."""
    if method == "password":
        return password_login_refusal(user)
    if method == "code" and not login_code_allowed(user):
        return CODE_NOT_OFFERED
    return None


def needs_system_use_notice(user) -> bool:
    """FedRAMP users accept the US Government system-use notification before every sign-in."""
    return bool(user is not None and user.is_fedramp)
