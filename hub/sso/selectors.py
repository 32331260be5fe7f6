"""Reads for sign-in. Sign-in happens before there is a user to scope by, so these look an
organization up by what the visitor typed or by the provider the callback names — and return
nothing rather than telling the caller why."""

from .models import OrganizationSignIn


def sso_for_organization_id(public_id: str) -> OrganizationSignIn | None:
    """The sign-in settings of the organization with this public id, only when its single sign-on
    is on and has an identity provider; None for an unknown id, an organization without SSO and a
    switched-off one alike (the caller must not be able to tell them apart)."""
    public_id = (public_id or "").strip().upper()
    if not public_id:
        return None
    return (
        OrganizationSignIn.objects.select_related("organization", "social_app")
        .filter(organization__public_id=public_id, is_sso_enabled=True, social_app__isnull=False)
        .first()
    )


def sign_in_for_provider(provider_id: str) -> OrganizationSignIn | None:
    """The sign-in settings that own the identity provider `provider_id` (allauth's
    `SocialApp.provider_id`, which is also `SocialAccount.provider`)."""
    return (
        OrganizationSignIn.objects.select_related("organization", "social_app")
        .filter(social_app__provider_id=provider_id)
        .first()
    )


def sign_in_for_user(user) -> OrganizationSignIn | None:
    """The sign-in settings of the user's organization (None for staff and for organizations
    that never had any). Memoized on the user object: the login flow asks several times."""
    if user is None or getattr(user, "organization_id", None) is None:
        return None
    if not hasattr(user, "_hub_sign_in"):
        user._hub_sign_in = OrganizationSignIn.objects.filter(organization_id=user.organization_id).first()
    return user._hub_sign_in
