"""Writes for sign-in by organization (AUTH-2): staff saving an organization's identity provider,
and the decision, at the end of every SSO round trip, of which hub user (if any) signs in."""

import logging
from dataclasses import dataclass

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import User
from .models import OrganizationSignIn
from .selectors import sign_in_for_provider

logger = logging.getLogger(__name__)

# What a SAML provider may call the attributes the hub needs; allauth takes the first present.
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id", "uid"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "email_verified": ["email_verified", "http://schemas.auth0.com/email_verified"],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "first_name",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "last_name",
        "sn",
    ],
}


@dataclass(frozen=True)
class ProviderSettings:
    """An organization's identity provider as staff enter it. OpenID Connect needs the issuer (or
    its discovery URL), client id and secret; SAML the IdP entity id and either its metadata URL
    or its single sign-on URL and signing certificate."""

    protocol: str
    issuer_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    saml_entity_id: str = ""
    saml_metadata_url: str = ""
    saml_sso_url: str = ""
    saml_x509cert: str = ""


def _app_settings(provider: ProviderSettings) -> dict:
    # "hidden": allauth never lists these apps (its provider lists would name every customer).
    if provider.protocol == OrganizationSignIn.Protocol.OPENID_CONNECT:
        return {"server_url": provider.issuer_url, "hidden": True, "oauth_pkce_enabled": True}
    idp = {"entity_id": provider.saml_entity_id}
    if provider.saml_metadata_url:
        idp["metadata_url"] = provider.saml_metadata_url
    else:
        idp.update(sso_url=provider.saml_sso_url, x509cert=provider.saml_x509cert)
    return {
        "hidden": True,
        "idp": idp,
        "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
        "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
    }


@transaction.atomic
def save_sign_in_settings(*, actor, sign_in: OrganizationSignIn, provider: ProviderSettings | None):
    """Staff save an organization's sign-in settings (the policy fields already set on `sign_in`)
    and its identity provider, kept as allauth's `SocialApp` under the organization's provider id.
    `provider=None` removes the provider and switches single sign-on off. An empty client secret
    keeps the stored one."""
    if not (actor.is_staff and actor.is_active):
        raise PermissionError("Only staff configure sign-in.")
    app = sign_in.social_app
    if provider is None:
        sign_in.protocol = ""
        sign_in.is_sso_enabled = False
        sign_in.social_app = None
        sign_in.save()
        if app is not None:
            app.delete()
        return sign_in
    if app is not None and app.provider != provider.protocol:
        app.delete()
        app = None
    app = app or SocialApp(provider=provider.protocol)
    organization = sign_in.organization
    app.provider_id = sign_in.provider_id
    app.name = f"{organization.name} ({organization.public_id})"
    if provider.protocol == OrganizationSignIn.Protocol.SAML:
        # allauth's SAML URLs carry the client id as the "organization slug".
        app.client_id = sign_in.provider_id
        app.secret = ""
    else:
        app.client_id = provider.client_id
        if provider.client_secret:
            app.secret = provider.client_secret
    app.settings = _app_settings(provider)
    app.save()
    sign_in.protocol = provider.protocol
    sign_in.social_app = app
    sign_in.save()
    logger.info("sign-in settings saved", extra={"organization": organization.public_id, "by": actor.pk})
    return sign_in


class SSORefused(Exception):
    """The identity provider vouched for someone the hub will not sign in; `message` says why, in
    words fit for that person (they did authenticate at their organization's provider)."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.message = message
        self.reason = reason


def _provider_email(sociallogin, sign_in):
    """The address the provider vouches for: its primary verified one, or with
    `trust_provider_email` its primary one."""
    addresses = sorted(sociallogin.email_addresses, key=lambda address: not address.primary)
    for address in addresses:
        if address.verified or sign_in.trust_provider_email:
            return address.email.strip()
    return None


def admit_sso_login(*, request, sociallogin) -> User | None:
    """AUTH-2: decide who an SSO round trip signs in, before allauth does anything with it.

    The provider the callback came through names the organization; the person is matched only
    among that organization's active users — by the link made at their first SSO sign-in, else by
    the verified email address, which then gets linked. Nobody of another organization, ever.
    Without a match they are refused, unless the organization lets SSO create accounts (and the
    address is nobody's). Returns the user signing in (None when allauth is to create one);
    raises `SSORefused` otherwise."""
    sign_in = sign_in_for_provider(sociallogin.account.provider)
    if sign_in is None or not sign_in.sso_available:
        raise SSORefused(_("Single sign-on is not available here. Start again from the sign-in page."), "no_sso")
    if sociallogin.state.get("process") == "connect":
        raise SSORefused(
            _("Single sign-on is linked to your account when you sign in with it; it cannot be connected here."),
            "connect",
        )
    organization = sign_in.organization
    no_account = _(
        "There is no active account for %(email)s in %(organization)s. Ask your brand administrator "
        "to add you, then sign in with SSO again."
    )
    if sociallogin.is_existing:
        user = sociallogin.user
        if user.organization_id != organization.pk or not user.is_active:
            raise SSORefused(no_account % {"email": user.email, "organization": organization.name}, "moved")
        return user
    email = _provider_email(sociallogin, sign_in)
    if not email:
        raise SSORefused(
            _("Your organization’s identity provider did not confirm your email address, so it cannot "
              "be matched to an account. Ask your IT administrator to send a verified email address."),
            "unverified",
        )
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(organization=organization, email__iexact=email, is_active=True)
            .first()
        )
        if user is not None:
            sociallogin.connect(request, user)
            logger.info("sso linked", extra={"organization": organization.public_id, "user": user.pk})
            return user
    if sign_in.allow_user_creation and not User.objects.filter(email__iexact=email).exists():
        # allauth creates the account (save_user below puts it in this organization); the address
        # the provider vouched for is the account's verified address.
        for address in sociallogin.email_addresses:
            address.verified = address.email.strip().lower() == email.lower()
        return None
    logger.info("sso refused", extra={"organization": organization.public_id, "reason": "no_account"})
    raise SSORefused(no_account % {"email": email, "organization": organization.name}, "no_account")


def is_sso_signup_allowed(sociallogin) -> bool:
    """allauth asks before creating an account: only for organizations that allow it."""
    sign_in = sign_in_for_provider(sociallogin.account.provider)
    return bool(sign_in is not None and sign_in.sso_available and sign_in.allow_user_creation)


def prepare_sso_user(sociallogin) -> None:
    """A user allauth is about to create from an SSO sign-in joins the provider's organization as
    a standard user (the database refuses a customer without one)."""
    sign_in = sign_in_for_provider(sociallogin.account.provider)
    user = sociallogin.user
    user.organization = sign_in.organization
    user.user_type = User.UserType.STANDARD


@transaction.atomic
def remove_sign_in_settings(*, actor, sign_in: OrganizationSignIn) -> None:
    """Staff delete an organization's sign-in settings together with its identity provider; the
    organization's users sign in with passwords again."""
    if not (actor.is_staff and actor.is_active):
        raise PermissionError("Only staff configure sign-in.")
    app = sign_in.social_app
    sign_in.delete()
    if app is not None:
        app.delete()
