import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def new_provider_id():
    # Random rather than derived from the organization id: the provider's login and callback URLs
    # carry it, and a guessable one would tell anyone which organizations use SSO.
    return "sso-" + secrets.token_hex(6)


class OrganizationSignIn(models.Model):
    """How one organization's users sign in. The identity provider itself (issuer, client id and
    secret, SAML metadata) lives in allauth's `SocialApp`, which staff edit through this record's
    admin; this row holds the organization's policy and links the two."""

    class Protocol(models.TextChoices):
        OPENID_CONNECT = "openid_connect", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organization = models.OneToOneField(
        "hub.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="sign_in"
    )
    protocol = models.CharField(
        _("identity provider protocol"), max_length=20, choices=Protocol.choices, blank=True,
        help_text=_("Empty: the organization has no identity provider."),
    )
    is_sso_enabled = models.BooleanField(
        _("single sign-on on"), default=False,
        help_text=_("Users can sign in through the identity provider with their organization id."),
    )
    provider_id = models.CharField(
        _("provider id"), max_length=40, unique=True, default=new_provider_id, editable=False,
        help_text=_("Part of the sign-in and callback URLs registered at the identity provider."),
    )
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", verbose_name=_("identity provider"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="hub_sign_in",
    )
    enforce_sso = models.BooleanField(
        _("password sign-in refused"), default=False,
        help_text=_("The organization's users cannot sign in with a password; they use single sign-on "
                    "or, where allowed, an emailed sign-in code."),
    )
    allow_login_code = models.BooleanField(
        _("emailed sign-in code (older setup)"), default=False,
        help_text=_("The organization's users can sign in with a one-time code sent to their email."),
    )
    allow_user_creation = models.BooleanField(
        _("create users on first sign-in"), default=False,
        help_text=_("A person the identity provider vouches for, without an account in this "
                    "organization, gets a standard user account. Off: they are refused."),
    )
    trust_provider_email = models.BooleanField(
        _("treat the provider's email addresses as verified"), default=False,
        help_text=_("Only for a provider that is the organization's own directory and does not send "
                    "the email_verified claim (Microsoft Entra ID, most SAML providers)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization sign-in settings")
        verbose_name_plural = _("organization sign-in settings")
        ordering = ["organization__name"]
        constraints = [
            # Refusing passwords with no other way in would lock the whole organization out.
            models.CheckConstraint(
                condition=Q(enforce_sso=False) | Q(is_sso_enabled=True) | Q(allow_login_code=True),
                name="hub_signin_enforced_has_a_way_in",
            ),
            models.CheckConstraint(
                condition=Q(is_sso_enabled=False) | ~Q(protocol=""),
                name="hub_signin_sso_needs_a_protocol",
            ),
        ]

    def __str__(self):
        return str(self.organization)

    @property
    def sso_available(self):
        return self.is_sso_enabled and self.social_app_id is not None
