"""HOME-1..3, PRO-1/2 basics, I18N-1: the frame every page shares."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import User

pytestmark = pytest.mark.django_db


def test_home_shows_my_information_with_a_link_to_the_profile(client_for, cast):
    response = client_for(cast.standard_user).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "My information" in html
    assert "Sam Rivera" in html and "Northwind Analytics" in html and "Standard user" in html
    assert f'href="{reverse("profiles:account_detail")}"' in html


def test_header_has_contact_and_user_menu_with_profile_language_and_sign_out(client_for, cast):
    html = client_for(cast.brand_admin).get("/").content.decode()
    assert ">Contact</a>" in html
    assert 'class="user-menu"' in html
    assert f'action="{reverse("account_logout")}"' in html
    assert f'action="{reverse("hub:language_set")}"' in html


def test_profile_shows_the_account_details(client_for, cast):
    html = client_for(cast.brand_admin).get(reverse("profiles:account_detail")).content.decode()
    for value in ("Alex Morgan", "alex.morgan@northwind.example", "brand.admin",
                  cast.northwind.public_id, "Brand administrator", "fra1"):
        assert value in html


def test_profile_menu_marks_the_current_section(client_for, cast):
    html = client_for(cast.standard_user).get(reverse("profiles:account_detail")).content.decode()
    assert f'<a href="{reverse("profiles:account_detail")}" aria-current="page">' in html
    assert reverse("mfa_index") in html


@pytest.mark.parametrize("persona", ["brand_admin", "standard_user", "fedramp_user", "free_user"])
@pytest.mark.parametrize("url", ["/", "/profile/"])
def test_pages_stay_within_the_query_budget(client_for, cast, django_assert_max_num_queries, persona, url):
    client = client_for(getattr(cast, persona))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_language_choice_persists_on_the_user_and_translates_pages(client_for, cast):
    client = client_for(cast.standard_user)
    response = client.post(reverse("hub:language_set"), {"language": "de", "next": "/profile/"})
    assert response["Location"] == "/profile/"
    cast.standard_user.refresh_from_db()
    assert cast.standard_user.language == "de"
    client.cookies.pop("hub_language", None)
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert "Meine Informationen" in html


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client_for, cast):
    client = client_for(cast.standard_user)
    response = client.post(reverse("hub:language_set"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    cast.standard_user.refresh_from_db()
    assert cast.standard_user.language == ""


def test_anonymous_visitors_pick_a_language_on_the_login_page(client):
    client.post(reverse("hub:language_set"), {"language": "fr", "next": "/accounts/login/"})
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_middleware_activates_the_users_language_and_time_zone(rf, cast):
    from django.http import HttpResponse
    from django.utils import translation

    from hub.middleware import UserPreferencesMiddleware

    user = cast.standard_user
    user.time_zone, user.language = "Asia/Tokyo", "ja"
    seen = {}

    def view(request):
        seen.update(tz=timezone.get_current_timezone_name(), language=translation.get_language())
        return HttpResponse()

    request = rf.get("/")
    request.user, request.LANGUAGE_CODE = user, "en"
    UserPreferencesMiddleware(view)(request)
    assert seen == {"tz": "Asia/Tokyo", "language": "ja"}


def test_time_zone_falls_back_to_the_organizations(cast):
    assert User.objects.get(pk=cast.fedramp_user.pk).effective_time_zone == "America/Denver"
