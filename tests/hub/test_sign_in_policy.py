"""AUTH-2: enforced SSO refuses password sign-in (telling only those who know the password), and
organizations on the older setup sign in with an emailed one-time code, rate-limited."""

import re

import pytest
from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
from django.core import mail
from django.urls import reverse

from hub.models import OutboundEmail
from hub.sso.models import OrganizationSignIn

from ..factories import PASSWORD, StaffUserFactory
from ..sso_helpers import configure_oidc

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
REQUEST_CODE = reverse("account_request_login_code")
CONFIRM_CODE = reverse("account_confirm_login_code")


def enforce(organization, **fields):
    return OrganizationSignIn.objects.create(organization=organization, enforce_sso=True, **fields)


def older_setup(organization, **fields):
    return OrganizationSignIn.objects.create(organization=organization, allow_login_code=True, **fields)


def form_errors(response):
    return response.context["form"].errors


# --- Enforced SSO -------------------------------------------------------------------------------


def test_enforced_sso_refuses_the_right_password_with_a_clear_message(client, cast, oidc_provider):
    configure_oidc(cast.northwind, oidc_provider, enforce_sso=True)
    response = client.post(LOGIN, {"login": "standard.user", "password": PASSWORD})
    assert response.status_code == 200
    assert "Your organization signs in with single sign-on" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_refusal_is_translated(client, cast, oidc_provider):
    configure_oidc(cast.northwind, oidc_provider, enforce_sso=True)
    response = client.post(LOGIN, {"login": "standard.user", "password": PASSWORD}, headers={"Accept-Language": "de"})
    assert "Ihre Organisation meldet sich mit Single Sign-on an" in response.content.decode()


def test_a_wrong_password_reveals_nothing_about_enforcement(client, cast, oidc_provider):
    """Someone guessing learns neither that the account exists nor how its organization signs in."""
    configure_oidc(cast.northwind, oidc_provider, enforce_sso=True)
    enforced = client.post(LOGIN, {"login": "standard.user", "password": "wrong-password-1"})
    unknown = client.post(LOGIN, {"login": "nobody.at.all", "password": "wrong-password-1"})
    assert form_errors(enforced) == form_errors(unknown)
    assert "single sign-on" not in enforced.content.decode()


def test_enforced_code_only_organizations_are_pointed_at_the_code(client, cast):
    enforce(cast.northwind, allow_login_code=True)
    response = client.post(LOGIN, {"login": "brand.admin", "password": PASSWORD})
    assert "Choose “Email me a sign-in code”" in response.content.decode()


def test_other_organizations_and_staff_sign_in_with_passwords_as_before(client, cast, oidc_provider):
    configure_oidc(cast.northwind, oidc_provider, enforce_sso=True)
    assert client.post(LOGIN, {"login": "outsider.admin", "password": PASSWORD})["Location"] == "/"
    client.logout()
    configure_oidc(cast.other, oidc_provider, ids=("sso-test-contoso", "contoso-hub"))  # SSO on, not enforced
    assert client.post(LOGIN, {"login": "outsider.admin", "password": PASSWORD})["Location"] == "/"
    client.logout()
    staff = StaffUserFactory()
    assert client.post(LOGIN, {"login": staff.username, "password": PASSWORD}).status_code == 302


def test_the_database_refuses_an_enforced_organization_with_no_way_in(cast):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        OrganizationSignIn.objects.create(organization=cast.northwind, enforce_sso=True)


# --- Emailed sign-in code -------------------------------------------------------------------


def request_code(client, email):
    return client.post(REQUEST_CODE, {"email": email})


def sent_code(email):
    message = next(message for message in reversed(mail.outbox) if message.to == [email])
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def test_older_setup_users_sign_in_with_an_emailed_code(client, cast, django_capture_on_commit_callbacks):
    older_setup(cast.northwind)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_code(client, cast.standard_user.email)
    assert response["Location"] == CONFIRM_CODE
    email = OutboundEmail.objects.get(to_email=cast.standard_user.email)
    assert (email.template, email.to_user, email.status) == ("allauth/login_code", cast.standard_user, "sent")
    assert "sign-in code" in email.subject
    page = client.get(CONFIRM_CODE)
    assert page.status_code == 200 and cast.standard_user.email in page.content.decode()
    response = client.post(CONFIRM_CODE, {"code": sent_code(cast.standard_user.email)})
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == cast.standard_user


def test_the_code_email_is_in_the_users_language(client, cast, django_capture_on_commit_callbacks):
    older_setup(cast.northwind)
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, cast.standard_user.email)
    assert "Anmeldecode" in mail.outbox[-1].subject


def test_the_code_works_where_passwords_are_refused(client, cast, django_capture_on_commit_callbacks):
    enforce(cast.northwind, allow_login_code=True)
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, cast.brand_admin.email)
    assert client.post(CONFIRM_CODE, {"code": sent_code(cast.brand_admin.email)})["Location"] == "/"


def test_everyone_else_gets_the_same_page_and_an_email_without_a_code(client, cast, django_capture_on_commit_callbacks):
    older_setup(cast.other)
    with django_capture_on_commit_callbacks(execute=True):
        allowed = request_code(client, cast.outsider.email)
        client.cookies.clear()
        not_offered = request_code(client, cast.standard_user.email)
        client.cookies.clear()
        unknown = request_code(client, "stranger@nowhere.example")
    assert allowed["Location"] == not_offered["Location"] == unknown["Location"] == CONFIRM_CODE
    templates = dict(OutboundEmail.objects.values_list("to_email", "template"))
    assert templates == {
        cast.outsider.email: "allauth/login_code",
        cast.standard_user.email: "sso/login_code_unavailable",
        "stranger@nowhere.example": "sso/login_code_unknown_account",
    }
    unavailable = next(message for message in mail.outbox if message.to == [cast.standard_user.email])
    assert "does not sign in with emailed codes" in unavailable.body
    assert not re.search(r"^\s*[A-Z0-9]{4}-[A-Z0-9]{4}\s*$", unavailable.body, re.MULTILINE)


def test_a_code_for_an_organization_without_codes_never_signs_in(client, cast, django_capture_on_commit_callbacks):
    """Defense in depth: allauth generated a code that was never sent; even the right one fails."""
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, cast.standard_user.email)
    state = client.session[LOGIN_SESSION_KEY]["state"]["stages"]["login_by_code"]["data"]
    response = client.post(CONFIRM_CODE, {"code": state["code"]}, follow=True)
    assert "does not sign in with emailed codes" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_code_requests_are_rate_limited_per_address(client, cast, django_capture_on_commit_callbacks):
    older_setup(cast.northwind)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.cookies.clear()  # a fresh session each time, as a script would
            assert request_code(client, cast.standard_user.email).status_code == 302
        client.cookies.clear()
        limited = request_code(client, cast.standard_user.email)
    assert limited.status_code == 200
    assert "Too many failed login attempts" in str(limited.context["form"].errors["email"])
    assert OutboundEmail.objects.filter(to_email=cast.standard_user.email).count() == 3


def test_three_wrong_codes_end_the_attempt(client, cast, django_capture_on_commit_callbacks):
    older_setup(cast.northwind)
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, cast.standard_user.email)
    code = sent_code(cast.standard_user.email)
    assert client.post(CONFIRM_CODE, {"code": "WRONG1"}).status_code == 200
    assert client.post(CONFIRM_CODE, {"code": "WRONG2"}).status_code == 200
    assert client.post(CONFIRM_CODE, {"code": "WRONG3"})["Location"] == REQUEST_CODE
    response = client.post(CONFIRM_CODE, {"code": code})
    assert response.status_code == 302 and response["Location"] == REQUEST_CODE
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_bad_input_gets_a_message_at_the_field(client):
    response = client.post(REQUEST_CODE, {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_sign_in_pages_stay_within_the_query_budget(client, cast, count_queries, django_capture_on_commit_callbacks):
    older_setup(cast.northwind)
    for path in (LOGIN, REQUEST_CODE, reverse("sso:start"), reverse("sso:fedramp_login")):
        assert count_queries(lambda path=path: client.get(path)) <= 12
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, cast.standard_user.email)
    assert count_queries(lambda: client.get(CONFIRM_CODE)) <= 12
