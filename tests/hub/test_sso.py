"""AUTH-2: Sign in with SSO → organization id → that organization's identity provider → back,
matched by verified email within that organization only. Runs against a real OpenID Connect
provider (tests/sso_provider) in a second process."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from hub.models import User
from hub.sso.models import OrganizationSignIn

from ..factories import BrandAdminFactory, OrganizationFactory, UserFactory
from ..sso_helpers import CONTOSO_PROVIDER, configure_oidc, sign_in_at_provider, sso_round_trip

pytestmark = pytest.mark.django_db
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
START = "/accounts/sso/"


@pytest.fixture
def northwind_sso(cast, oidc_provider):
    return configure_oidc(cast.northwind, oidc_provider)


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_user_signs_in_through_their_organizations_provider_and_is_linked(client, cast, northwind_sso):
    response = sso_round_trip(client, cast.northwind.public_id, "alex")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(client) == cast.brand_admin
    account = SocialAccount.objects.get(user=cast.brand_admin)
    assert account.provider == northwind_sso.provider_id
    # The second time the link made at the first sign-in matches, not the email address.
    client.logout()
    cast.brand_admin.email = "alex.renamed@northwind.example"
    cast.brand_admin.save(update_fields=["email"])
    assert sso_round_trip(client, cast.northwind.public_id.lower(), "alex")["Location"] == "/"
    assert signed_in_user(client) == cast.brand_admin


def test_the_page_asked_for_is_where_sso_returns(client, cast, northwind_sso):
    page = client.post(START + "?next=/profile/", {"organization_id": cast.northwind.public_id, "next": "/profile/"})
    callback = sign_in_at_provider(page.context["provider_url"], "alex")
    response = client.get(callback.split("testserver", 1)[1])
    assert response["Location"] == "/profile/"


def test_a_user_of_another_organization_with_the_same_email_is_refused(client, cast, oidc_provider):
    configure_oidc(cast.northwind, oidc_provider, allow_user_creation=True)
    outsider = UserFactory(organization=cast.other, email="outsider@contoso.example")
    response = sso_round_trip(client, cast.northwind.public_id, "outsider")
    assert response.status_code == 403
    body = response.content.decode()
    assert "There is no active account for outsider@contoso.example in Northwind Analytics" in body
    assert cast.other.name not in body
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact="outsider@contoso.example").get() == outsider


def test_an_organization_cannot_use_another_organizations_provider(client, cast, oidc_provider, northwind_sso):
    """A Contoso sign-in (its own provider, its own client) delivered to Northwind's callback signs
    nobody in: the state belongs to Contoso's provider and the code to Contoso's client."""
    UserFactory(organization=cast.other, email="outsider@contoso.example")
    configure_oidc(cast.other, oidc_provider, ids=CONTOSO_PROVIDER)
    page = client.post(START, {"organization_id": cast.other.public_id})
    callback = sign_in_at_provider(page.context["provider_url"], "outsider")
    forged = callback.replace(CONTOSO_PROVIDER[0], northwind_sso.provider_id)
    response = client.get(forged.split("testserver", 1)[1])
    assert response.status_code == 401
    assert "Single sign-on did not complete" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_is_refused_unless_staff_trust_the_provider(client, cast, oidc_provider):
    sign_in = configure_oidc(cast.northwind, oidc_provider)
    response = sso_round_trip(client, cast.northwind.public_id, "sam")
    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    OrganizationSignIn.objects.filter(pk=sign_in.pk).update(trust_provider_email=True)
    assert sso_round_trip(client, cast.northwind.public_id, "sam").status_code == 302
    assert signed_in_user(client) == cast.standard_user


def test_a_person_without_an_account_is_refused_by_default(client, cast, northwind_sso):
    response = sso_round_trip(client, cast.northwind.public_id, "newcomer")
    assert response.status_code == 403
    assert "Ask your brand administrator to add you" in response.content.decode()
    assert not User.objects.filter(email="new.person@northwind.example").exists()


def test_an_organization_that_allows_it_gets_a_standard_user_created(client, cast, oidc_provider):
    configure_oidc(cast.northwind, oidc_provider, allow_user_creation=True)
    response = sso_round_trip(client, cast.northwind.public_id, "newcomer")
    assert response.status_code == 302
    user = User.objects.get(email="new.person@northwind.example")
    assert (user.organization, user.user_type, user.first_name) == (cast.northwind, "standard", "Nova")
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified
    assert signed_in_user(client) == user


def test_inactive_users_and_users_who_moved_organization_are_refused(client, cast, northwind_sso):
    assert sso_round_trip(client, cast.northwind.public_id, "alex").status_code == 302
    client.logout()
    User.objects.filter(pk=cast.brand_admin.pk).update(organization=cast.other)
    assert sso_round_trip(client, cast.northwind.public_id, "alex").status_code == 403
    User.objects.filter(pk=cast.brand_admin.pk).update(organization=cast.northwind, is_active=False)
    assert sso_round_trip(client, cast.northwind.public_id, "alex").status_code == 403
    assert not signed_in_user(client).is_authenticated


def test_unknown_ids_and_organizations_without_sso_get_one_answer(client, cast, oidc_provider):
    """The answer reveals nothing: an unknown id, an organization without sign-in settings, one
    whose SSO is switched off and one on the emailed code read the same."""
    switched_off = configure_oidc(OrganizationFactory(), oidc_provider)
    OrganizationSignIn.objects.filter(pk=switched_off.pk).update(is_sso_enabled=False)
    code_only = OrganizationFactory()
    OrganizationSignIn.objects.create(organization=code_only, allow_login_code=True, enforce_sso=True)
    answers = set()
    for public_id in ("ORG-ZZZZZ", cast.solo.public_id, switched_off.organization.public_id, code_only.public_id):
        response = client.post(START, {"organization_id": public_id})
        assert response.status_code == 422
        page = CSRF_TOKEN.sub("", response.content.decode()).replace(public_id, "ORG-?????")
        answers.add(page)
    assert len(answers) == 1
    assert "Single sign-on cannot start for this organization id" in answers.pop()


@pytest.mark.parametrize("value", ["", "northwind", "ORG-12", "ORG-ABCDE1", "<script>"])
def test_bad_organization_ids_get_a_message_at_the_field(client, value):
    response = client.post(START, {"organization_id": value})
    assert response.status_code == 422
    assert response.context["form"].errors["organization_id"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_htmx_gets_the_form_partial_and_a_client_side_redirect(client, cast, northwind_sso):
    page = client.get(START)
    assert page.status_code == 200 and "<html" in page.content.decode()
    invalid = client.post(START, {"organization_id": "nope"}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422
    body = invalid.content.decode()
    assert body.lstrip().startswith("<form") and "<html" not in body
    assert "HX-Request" in invalid["Vary"]
    ok = client.post(START, {"organization_id": cast.northwind.public_id}, headers={"HX-Request": "true"})
    assert ok.status_code == 200
    assert ok["HX-Redirect"].startswith(northwind_sso.social_app.settings["server_url"] + "/authorize/")


def test_without_javascript_the_browser_is_forwarded_by_the_page(client, cast, northwind_sso):
    response = client.post(START, {"organization_id": cast.northwind.public_id})
    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:' in body
    assert "code_challenge=" in response.context["provider_url"]


def test_organization_ids_cannot_be_scanned(client, cast, northwind_sso):
    for index in range(10):
        client.post(START, {"organization_id": f"ORG-ZZZZ{index}"})
    response = client.post(START, {"organization_id": cast.northwind.public_id})
    assert response.status_code == 422
    assert "Too many attempts" in response.content.decode()


def test_an_unreachable_provider_gets_a_message_not_an_error(client, cast, oidc_provider, settings):
    sign_in = configure_oidc(cast.northwind, oidc_provider)
    app = sign_in.social_app
    app.settings = {**app.settings, "server_url": "http://127.0.0.1:9/o"}
    app.save(update_fields=["settings"])
    response = client.post(START, {"organization_id": cast.northwind.public_id})
    assert response.status_code == 422
    assert "cannot be reached right now" in response.content.decode()


def test_signed_in_users_are_sent_home(client_for, cast):
    assert client_for(cast.standard_user).get(START)["Location"] == reverse("hub:home")


def test_the_start_page_costs_the_same_with_one_or_twenty_configured_organizations(
    client, cast, oidc_provider, count_queries
):
    configure_oidc(cast.northwind, oidc_provider)
    one = count_queries(lambda: client.post(START, {"organization_id": cast.northwind.public_id}))
    for index in range(19):
        configure_oidc(OrganizationFactory(), oidc_provider, ids=(f"sso-test-extra-{index}", "northwind-hub"))
    twenty = count_queries(lambda: client.post(START, {"organization_id": cast.northwind.public_id}))
    assert one == twenty <= 12
    assert count_queries(lambda: client.get(START)) <= 12


def test_provider_lists_never_name_other_organizations(client_for, cast, northwind_sso, oidc_provider):
    configure_oidc(cast.other, oidc_provider, ids=CONTOSO_PROVIDER)
    BrandAdminFactory(organization=cast.other)
    body = client_for(cast.standard_user).get("/accounts/3rdparty/").content.decode()
    assert cast.other.name not in body and cast.northwind.public_id not in body
