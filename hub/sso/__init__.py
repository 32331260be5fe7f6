"""Sign-in by organization (AUTH-2): single sign-on through each organization's own identity
provider (django-allauth's OpenID Connect and SAML providers, one `SocialApp` per organization),
enforced SSO, the emailed one-time sign-in code for organizations on an older setup, and the
FedRAMP sign-in page with its system-use notification."""
