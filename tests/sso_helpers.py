"""Shared pieces of the sign-in-by-organization tests (AUTH-2): the identity provider's seed, the
staff configuration of an organization's provider, and an SSO round trip driven through the Django
test client (the hub) and `requests` (the person at their provider)."""

from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from hub.sso.models import OrganizationSignIn
from hub.sso.services import ProviderSettings, save_sign_in_settings

from .factories import StaffUserFactory

PROVIDER_PASSWORD = "provider-password-1"
CLIENT_SECRET = "client-secret-for-tests"
NORTHWIND_PROVIDER = ("sso-test-northwind", "northwind-hub")
CONTOSO_PROVIDER = ("sso-test-contoso", "contoso-hub")
PROVIDER_USERS = [
    {"username": "alex", "email": "alex.morgan@northwind.example", "first_name": "Alex", "last_name": "Morgan"},
    {"username": "sam", "email": "sam.rivera@northwind.example", "email_verified": False},
    {"username": "newcomer", "email": "new.person@northwind.example", "first_name": "Nova", "last_name": "Person"},
    {"username": "outsider", "email": "outsider@contoso.example", "first_name": "Olli", "last_name": "Side"},
]


def provider_seed(hub_origins):
    users = [{**user, "password": PROVIDER_PASSWORD} for user in PROVIDER_USERS]
    clients = [
        {
            "client_id": client_id,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{origin}/accounts/oidc/{provider_id}/login/callback/" for origin in hub_origins],
        }
        for provider_id, client_id in (NORTHWIND_PROVIDER, CONTOSO_PROVIDER)
    ]
    return {"users": users, "clients": clients}


def configure_oidc(organization, provider, ids=NORTHWIND_PROVIDER, **policy):
    """Staff give `organization` the test provider as its identity provider (SSO on)."""
    provider_id, client_id = ids
    sign_in = OrganizationSignIn(organization=organization, provider_id=provider_id, is_sso_enabled=True, **policy)
    return save_sign_in_settings(
        actor=StaffUserFactory(),
        sign_in=sign_in,
        provider=ProviderSettings(
            protocol=OrganizationSignIn.Protocol.OPENID_CONNECT,
            issuer_url=provider.issuer, client_id=client_id, client_secret=CLIENT_SECRET,
        ),
    )


def sign_in_at_provider(authorize_url, username):
    """The person at their identity provider: sign in there and authorize; returns the URL the
    provider sends the browser back to (the hub's callback with code and state)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert "/login/" in page.url, page.text[:500]
    next_url = parse_qs(urlsplit(page.url).query)["next"][0]
    answer = browser.post(
        page.url.split("?")[0],
        data={"username": username, "password": PROVIDER_PASSWORD, "next": next_url,
              "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"]},
        allow_redirects=False, timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    authorize = browser.get(urljoin(page.url, answer.headers["Location"]), allow_redirects=False, timeout=10)
    assert authorize.status_code == 302, authorize.text[:500]
    return authorize.headers["Location"]


def sso_round_trip(client, organization_id, username, *, start="/accounts/sso/", data=None):
    """Sign in with SSO end to end; returns the hub's answer to the provider's callback."""
    page = client.post(start, {"organization_id": organization_id, **(data or {})})
    assert page.status_code == 200, page.content.decode()[:2000]
    callback = sign_in_at_provider(page.context["provider_url"], username)
    parts = urlsplit(callback)
    return client.get(parts.path + "?" + parts.query)
