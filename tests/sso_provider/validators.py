from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ProviderValidator(OAuth2Validator):
    """Standard OIDC claims for the `profile` and `email` scopes."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "email_verified": "email",
        "given_name": "profile",
        "family_name": "profile",
        "name": "profile",
        "preferred_username": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": settings.EMAIL_VERIFIED.get(user.username, True),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "preferred_username": user.username,
        }
