"""AUTH-2: FedRAMP organizations sign in on their own page, which shows the FedRAMP environment
notice and the US Government system-use notification; FedRAMP users who come another way accept
the notification as a step of their sign-in."""

import pytest
from django.urls import reverse

from ..factories import PASSWORD
from ..sso_helpers import configure_oidc, sso_round_trip

pytestmark = pytest.mark.django_db
FEDRAMP_LOGIN = reverse("sso:fedramp_login")
NOTICE = reverse("sso:system_use_notice")
NOTICE_TEXT = "You are accessing a U.S. Government information system"


def test_the_fedramp_page_shows_the_notices(client):
    body = client.get(FEDRAMP_LOGIN).content.decode()
    assert NOTICE_TEXT in body
    assert "FedRAMP environment" in body
    assert "Accept and sign in" in body
    assert reverse("sso:fedramp_start") in body


def test_the_standard_page_links_to_the_fedramp_page(client):
    assert FEDRAMP_LOGIN in client.get(reverse("account_login")).content.decode()


def test_fedramp_users_signing_in_on_their_page_go_straight_in(client, cast):
    response = client.post(FEDRAMP_LOGIN, {"login": "fedramp.user", "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == cast.fedramp_user


def test_fedramp_users_coming_another_way_accept_the_notice_first(client, cast):
    response = client.post(reverse("account_login"), {"login": "fedramp.user", "password": PASSWORD})
    assert response["Location"] == NOTICE
    page = client.get(NOTICE)
    assert NOTICE_TEXT in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    assert client.post(NOTICE, {"accept": ""})["Location"] == "/"
    assert client.get("/").wsgi_request.user == cast.fedramp_user


def test_declining_the_notice_signs_nobody_in(client, cast):
    client.post(reverse("account_login"), {"login": "fedramp.admin", "password": PASSWORD})
    response = client.post(NOTICE, {"decline": ""})
    assert response["Location"] == reverse("account_login")
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert client.get(NOTICE)["Location"] == reverse("account_login")


def test_the_notice_step_is_only_reachable_during_a_sign_in(client, client_for, cast):
    assert client.get(NOTICE)["Location"] == reverse("account_login")
    assert client_for(cast.fedramp_user).get(NOTICE)["Location"] == reverse("account_login")


def test_other_users_see_no_notice_anywhere(client, cast):
    assert client.post(reverse("account_login"), {"login": "standard.user", "password": PASSWORD})["Location"] == "/"
    client.logout()
    assert client.post(FEDRAMP_LOGIN, {"login": "standard.user", "password": PASSWORD})["Location"] == "/"


def test_a_wrong_password_on_the_fedramp_page_gets_the_usual_error(client, cast):
    response = client.post(FEDRAMP_LOGIN, {"login": "fedramp.user", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "are not correct" in str(response.context["form"].errors)


def test_sso_from_the_fedramp_page_needs_no_second_acceptance(client, cast, oidc_provider):
    cast.fedramp_admin.email = "alex.morgan@northwind.example"  # the provider's "alex"
    cast.brand_admin.email = "alex.other@northwind.example"
    cast.brand_admin.save(update_fields=["email"])
    cast.fedramp_admin.save(update_fields=["email"])
    configure_oidc(cast.civic, oidc_provider)
    response = sso_round_trip(client, cast.civic.public_id, "alex", start=reverse("sso:fedramp_start"))
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == cast.fedramp_admin


def test_sso_from_the_standard_page_shows_the_notice_step(client, cast, oidc_provider):
    cast.brand_admin.email = "alex.other@northwind.example"
    cast.brand_admin.save(update_fields=["email"])
    cast.fedramp_admin.email = "alex.morgan@northwind.example"
    cast.fedramp_admin.save(update_fields=["email"])
    configure_oidc(cast.civic, oidc_provider)
    assert sso_round_trip(client, cast.civic.public_id, "alex")["Location"] == NOTICE
    assert client.post(NOTICE, {"accept": ""})["Location"] == "/"


def test_fedramp_pages_stay_within_the_query_budget(client, cast, count_queries):
    assert count_queries(lambda: client.get(FEDRAMP_LOGIN)) <= 12
    assert count_queries(lambda: client.get(reverse("sso:fedramp_start"))) <= 12
    client.post(reverse("account_login"), {"login": "fedramp.user", "password": PASSWORD})
    assert count_queries(lambda: client.get(NOTICE)) <= 12
