"""AUTH-2: staff configure each organization's identity provider and sign-in policy in the admin;
the provider is allauth's SocialApp, kept in step with the settings."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import Group
from django.urls import reverse

from hub.sso.models import OrganizationSignIn
from hub.staff import CUSTOMER_SUCCESS, SUPPORT_AGENTS, sync_staff_groups

from ..factories import StaffUserFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:hub_organizationsignin_add")


def staff_client(client, settings, *, superuser=True, group=None):
    settings.HUB_ADMIN_REQUIRES_MFA = False
    user = StaffUserFactory(is_superuser=superuser)
    if group:
        sync_staff_groups()
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def oidc_form(organization, **overrides):
    return {
        "organization": organization.pk, "protocol": "openid_connect", "is_sso_enabled": "on",
        "issuer_url": "https://login.northwind.example/oauth2/default/", "client_id": "hub-client",
        "client_secret": "s3cret", "saml_entity_id": "", "saml_metadata_url": "", "saml_sso_url": "",
        "saml_x509cert": "", **overrides,
    }


def test_staff_configure_an_openid_connect_provider(client, settings, cast):
    admin = staff_client(client, settings)
    assert admin.get(ADD).status_code == 200
    response = admin.post(ADD, oidc_form(cast.northwind, enforce_sso="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    sign_in = OrganizationSignIn.objects.get(organization=cast.northwind)
    app = sign_in.social_app
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect", sign_in.provider_id, "hub-client", "s3cret")
    assert app.settings["server_url"] == "https://login.northwind.example/oauth2/default"
    assert app.settings["hidden"] is True and sign_in.enforce_sso
    assert sign_in.history.count() == 1
    change = admin.get(reverse("admin:hub_organizationsignin_change", args=[sign_in.pk])).content.decode()
    assert f"/accounts/oidc/{sign_in.provider_id}/login/callback/" in change
    assert "s3cret" not in change
    # An empty secret keeps the stored one.
    admin.post(reverse("admin:hub_organizationsignin_change", args=[sign_in.pk]),
               oidc_form(cast.northwind, client_secret="", client_id="renamed"))
    app.refresh_from_db()
    assert (app.client_id, app.secret) == ("renamed", "s3cret")


def test_staff_configure_a_saml_provider(client, settings, cast):
    admin = staff_client(client, settings)
    response = admin.post(ADD, oidc_form(
        cast.northwind, protocol="saml", issuer_url="", client_id="", client_secret="",
        saml_entity_id="https://idp.northwind.example/metadata", saml_sso_url="https://idp.northwind.example/sso",
        saml_x509cert="MIIBfakecertificate",
    ))
    assert response.status_code == 302
    app = OrganizationSignIn.objects.get(organization=cast.northwind).social_app
    assert app.provider == "saml" and app.client_id == app.provider_id
    assert app.settings["idp"] == {"entity_id": "https://idp.northwind.example/metadata",
                                   "sso_url": "https://idp.northwind.example/sso", "x509cert": "MIIBfakecertificate"}
    metadata = client.get(reverse("saml_metadata", args=[app.provider_id]), HTTP_HOST="127.0.0.1")
    assert metadata.status_code == 200 and b"AssertionConsumerService" in metadata.content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"issuer_url": ""}, "issuer_url"),
        ({"client_secret": ""}, "client_secret"),
        ({"issuer_url": "not a url"}, "issuer_url"),
        ({"protocol": "", "issuer_url": ""}, "protocol"),
        ({"is_sso_enabled": "", "enforce_sso": "on"}, "enforce_sso"),
        ({"protocol": "saml"}, "saml_entity_id"),
    ],
)
def test_incomplete_settings_get_a_message_at_the_field(client, settings, cast, overrides, field):
    response = staff_client(client, settings).post(ADD, oidc_form(cast.northwind, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not SocialApp.objects.exists()


def test_switching_the_provider_off_and_deleting_remove_the_social_app(client, settings, cast):
    admin = staff_client(client, settings)
    admin.post(ADD, oidc_form(cast.northwind))
    sign_in = OrganizationSignIn.objects.get()
    admin.post(reverse("admin:hub_organizationsignin_change", args=[sign_in.pk]),
               oidc_form(cast.northwind, protocol="", is_sso_enabled="", issuer_url="", allow_login_code="on"))
    sign_in.refresh_from_db()
    assert sign_in.social_app is None and not SocialApp.objects.exists() and sign_in.allow_login_code
    admin.post(reverse("admin:hub_organizationsignin_delete", args=[sign_in.pk]), {"post": "yes"})
    assert not OrganizationSignIn.objects.exists()


def test_customer_success_configure_and_support_agents_only_look(client, settings, cast):
    staff_client(client, settings, superuser=False, group=CUSTOMER_SUCCESS)
    assert client.post(ADD, oidc_form(cast.northwind)).status_code == 302
    sign_in = OrganizationSignIn.objects.get()
    staff_client(client, settings, superuser=False, group=SUPPORT_AGENTS)
    assert client.get(reverse("admin:hub_organizationsignin_change", args=[sign_in.pk])).status_code == 200
    assert client.get(ADD).status_code == 403
    assert client.post(reverse("admin:hub_organizationsignin_delete", args=[sign_in.pk]), {"post": "yes"}).status_code == 403


def test_customers_cannot_reach_the_settings(client_for, cast):
    response = client_for(cast.brand_admin).get(ADD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
