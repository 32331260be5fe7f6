"""AUTH-1, AUTH-3, AUTH-4, AUTH-5: sign-in with django-allauth."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse

from hub.models import OutboundEmail

from ..factories import PASSWORD, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/profile/", "/accounts/password/change/", "/accounts/2fa/"])
def test_every_page_requires_login_and_returns_to_it(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/health/"])
def test_public_pages_need_no_login(client, url):
    assert client.get(url).status_code in (200, 503)


@pytest.mark.parametrize("login_field", ["username", "email"])
def test_login_with_username_or_email_returns_to_the_page_asked_for(client, cast, login_field):
    response = client.post(
        reverse("account_login") + "?next=/profile/",
        {"login": getattr(cast.standard_user, login_field).upper(), "password": PASSWORD, "next": "/profile/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    assert client.get("/profile/").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client, cast):
    wrong = client.post(reverse("account_login"), {"login": "standard.user", "password": "nope-nope-nope"})
    unknown = client.post(reverse("account_login"), {"login": "nobody.here", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert "are not correct" in str(wrong.context["form"].errors)


def test_repeated_failures_lock_the_login_out_with_a_message(client, cast):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "standard.user", "password": "wrong-password-1"})
    response = client.post(reverse("account_login"), {"login": "standard.user", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": cast.standard_user.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "stranger@nowhere.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    sent = {message.to[0]: message for message in mail.outbox}
    assert "/accounts/password/reset/key/" in sent[cast.standard_user.email].body
    assert "no account uses this address" in sent["stranger@nowhere.example"].body
    assert OutboundEmail.objects.filter(status="sent").count() == 2


def test_password_reset_link_sets_a_new_password(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": cast.standard_user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line).strip()
    path = link.split("://", 1)[-1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    new_password = "a-brand-new-password-42"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    cast.standard_user.refresh_from_db()
    assert cast.standard_user.check_password(new_password)


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()


def test_logout_needs_a_post(client_for, cast):
    client = client_for(cast.standard_user)
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get("/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/").status_code == 302


def _enable_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_any_user_can_set_up_totp_after_confirming_their_password(client_for, cast):
    client = client_for(cast.standard_user)
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": str(hotp_value(secret, _now_counter())).zfill(6)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=cast.standard_user, type=Authenticator.Type.TOTP).exists()


def _now_counter():
    import time

    from allauth.mfa import app_settings

    return int(time.time()) // app_settings.TOTP_PERIOD


def test_staff_without_mfa_cannot_open_the_admin(client, settings):
    settings.HUB_ADMIN_REQUIRES_MFA = True
    agent = StaffUserFactory()
    client.force_login(agent)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_staff_signed_in_with_mfa_open_the_admin(client, settings):
    settings.HUB_ADMIN_REQUIRES_MFA = True
    agent = StaffUserFactory(is_superuser=True)
    secret = _enable_totp(agent)
    response = client.post(reverse("account_login"), {"login": agent.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": str(hotp_value(secret, _now_counter())).zfill(6)})
    assert client.get("/admin/").status_code == 200


def test_customers_are_not_let_into_the_admin(client_for, cast):
    response = client_for(cast.brand_admin).get("/admin/", follow=True)
    assert response.status_code == 200
    assert "is not authorized" in response.content.decode() or "not authorized" in response.content.decode()
