"""Demo sign-in settings: Harbor Logistics is on the older setup and signs in with an emailed code
(no demo identity provider runs under `make run`, so no organization has SSO switched on)."""

from ..models import Organization
from .models import OrganizationSignIn


def seed(out):
    harbor = Organization.objects.get(public_id="ORG-HB4M9")
    OrganizationSignIn.objects.update_or_create(
        organization=harbor, defaults={"allow_login_code": True, "enforce_sso": False, "is_sso_enabled": False}
    )
    out.write("sso: Harbor Logistics signs in with an emailed code (or its password)")
