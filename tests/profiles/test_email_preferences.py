"""The Email preferences section of the profile (PREF-1..5, PREF-8)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from profiles.models import ConsentEvent, EmailCategory, EmailPreference, PreferenceChange, Subscriber
from profiles.preferences.services import PreferenceChangeRefused, update_email_preferences
from tests.factories import StaffUserFactory

from .html import switches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_categories")]

URL = reverse("profiles:email_preferences")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ALL_ON = {"personalized_learning": "on", "news_and_updates": "on", "customer_events": "on"}


def _preference(email, key):
    return EmailPreference.objects.filter(subscriber__email=email.lower(), category__key=key).first()


def test_brand_admin_sees_every_category_with_operational_updates_locked_on(client_for, cast):
    response = client_for(cast.brand_admin).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Personalized learning", "News &amp; updates", "Customer events", "Operational updates"):
        assert name in html
    assert "Course recommendations, learning paths" in html
    assert switches(html)["operational_updates"] == {"checked": True, "disabled": True}
    assert switches(html)["news_and_updates"] == {"checked": True, "disabled": False}
    assert "Always on" in html
    assert cast.brand_admin.email in html
    assert 'aria-current="page">Email preferences</a>' in html


def test_standard_user_does_not_see_operational_updates(client_for, cast):
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "News &amp; updates" in html
    assert "Operational updates" not in html
    assert 'name="operational_updates"' not in html


def test_links_to_other_notifications_are_at_the_bottom(client_for, cast, settings):
    html = client_for(cast.standard_user).get(URL).content.decode()
    for url in (settings.HUB_STATUS_SUBSCRIBE_URL, settings.HUB_PRODUCT_NOTIFICATIONS_URL,
                settings.HUB_COMMUNITY_NOTIFICATIONS_URL, settings.HUB_ACADEMY_NOTIFICATIONS_URL):
        assert f'href="{url}"' in html
    assert html.index("Other notifications") > html.index("Save")


@time_machine.travel(MONDAY, tick=False)
def test_save_stores_at_once_records_consent_and_queues_the_sync(client_for, cast):
    client = client_for(cast.standard_user)
    response = client.post(URL, {"personalized_learning": "on", "customer_events": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    preference = _preference(cast.standard_user.email, "news_and_updates")
    assert preference.is_subscribed is False and preference.changed_at == MONDAY
    event = ConsentEvent.objects.get()
    assert (event.category.key, event.old_value, event.new_value) == ("news_and_updates", None, False)
    assert (event.source, event.actor, event.actor_label, event.occurred_at) == (
        "hub", cast.standard_user, "standard.user", MONDAY)
    change = PreferenceChange.objects.get()
    assert (change.preference, change.is_subscribed, change.status) == (preference, False, "pending")
    assert preference.history.count() == 1
    html = client.get(URL).content.decode()
    assert "It can take up to 24 hours for a change to reach every mailing list." in html
    assert "Pending sync" in html


def test_htmx_save_answers_the_form_partial_with_the_message(client_for, cast):
    response = client_for(cast.standard_user).post(URL, {"personalized_learning": "on"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<form id="email-preferences-form"')
    assert "<html" not in html
    assert 'id="preferences-status"' in html and 'hx-swap-oob="true"' in html
    assert "Your email preferences are saved." in html
    assert html.count("Pending sync") == 2


def test_saving_without_a_change_writes_nothing(client_for, cast):
    client = client_for(cast.standard_user)
    response = client.post(URL, ALL_ON, follow=True)
    assert "Nothing to save" in response.content.decode()
    assert not ConsentEvent.objects.exists() and not PreferenceChange.objects.exists()
    assert not EmailPreference.objects.exists()


def test_a_newer_choice_supersedes_the_unsent_one(client_for, cast):
    client = client_for(cast.standard_user)
    client.post(URL, {"personalized_learning": "on", "customer_events": "on"})
    client.post(URL, ALL_ON)
    changes = PreferenceChange.objects.order_by("pk")
    assert [(c.is_subscribed, c.status) for c in changes] == [(False, "superseded"), (True, "pending")]
    assert [(e.old_value, e.new_value) for e in ConsentEvent.objects.order_by("pk")] == [(None, False), (False, True)]


def test_preferences_belong_to_the_address_not_the_user_row(client_for, cast):
    """PREF-1: choices made for an address follow the address, whatever its letter case."""
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email,
                             choices={"customer_events": False}, source="hub")
    cast.standard_user.email = "Sam.Rivera@NORTHWIND.example"
    cast.standard_user.save(update_fields=["email"])
    client = client_for(cast.standard_user)
    html = client.get(URL).content.decode()
    assert switches(html)["customer_events"]["checked"] is False
    assert Subscriber.objects.count() == 1
    cast.standard_user.email = "sam@new-address.example"
    cast.standard_user.save(update_fields=["email"])
    html = client.get(URL).content.decode()
    assert switches(html)["customer_events"]["checked"] is True


@time_machine.travel(MONDAY, tick=False)
def test_a_brand_admin_cannot_turn_operational_updates_off(client_for, cast):
    """PREF-3: the control is disabled; a hand-made request is refused at the field."""
    response = client_for(cast.brand_admin).post(URL, {**ALL_ON, "operational_updates": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Operational updates can&#x27;t be turned off." in html
    assert 'aria-invalid="true"' in html
    assert not ConsentEvent.objects.exists()
    with pytest.raises(PreferenceChangeRefused):
        update_email_preferences(actor=cast.brand_admin, email=cast.brand_admin.email,
                                 choices={"operational_updates": False}, source="hub")
    assert not EmailPreference.objects.exists()


def test_a_brand_admin_saving_normally_keeps_operational_updates_on(client_for, cast):
    response = client_for(cast.brand_admin).post(URL, {"personalized_learning": "on"})
    assert response.status_code == 302
    keys = set(ConsentEvent.objects.values_list("category__key", flat=True))
    assert keys == {"news_and_updates", "customer_events"}


@time_machine.travel(MONDAY, tick=False)
def test_operational_updates_are_refused_for_a_standard_user(client_for, cast):
    response = client_for(cast.standard_user).post(URL, {**ALL_ON, "operational_updates": "on"})
    assert response.status_code == 403
    with pytest.raises(PreferenceChangeRefused):
        update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email,
                                 choices={"operational_updates": True}, source="hub")
    assert not ConsentEvent.objects.exists()


def test_customers_change_only_their_own_address(cast):
    with pytest.raises(PermissionDenied) as refused:
        update_email_preferences(actor=cast.standard_user, email=cast.brand_admin.email,
                                 choices={"news_and_updates": False}, source="hub")
    assert not isinstance(refused.value, PreferenceChangeRefused)
    assert not ConsentEvent.objects.exists()


@time_machine.travel(MONDAY, tick=False)
@pytest.mark.parametrize("persona", ["free_user", "fedramp_user", "fedramp_admin"])
def test_free_and_fedramp_users_have_no_section_and_get_404(client_for, cast, persona):
    """PREF-4."""
    client = client_for(getattr(cast, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, ALL_ON).status_code == 404
    assert URL not in client.get(reverse("profiles:account_detail")).content.decode()
    assert not ConsentEvent.objects.exists()


def test_staff_without_an_organization_get_404(client_for, db):
    assert client_for(StaffUserFactory()).get(URL).status_code == 404


def test_self_service_and_enterprise_customers_see_the_menu_entry(client_for, cast):
    cast.other.license_type = "self_service"
    cast.other.save(update_fields=["license_type"])
    for user in (cast.standard_user, cast.outsider):
        assert f'href="{URL}"' in client_for(user).get(reverse("profiles:account_detail")).content.decode()


def test_an_outsider_sees_only_their_own_address(client_for, cast):
    update_email_preferences(actor=cast.brand_admin, email=cast.brand_admin.email,
                             choices={"news_and_updates": False}, source="hub")
    client = client_for(cast.outsider)
    html = client.get(URL).content.decode()
    assert cast.brand_admin.email not in html and cast.outsider.email in html
    assert switches(html)["news_and_updates"]["checked"] is True
    client.post(URL, {"personalized_learning": "on"})
    assert _preference(cast.brand_admin.email, "news_and_updates").is_subscribed is False
    assert _preference(cast.brand_admin.email, "customer_events") is None


def test_the_page_says_when_a_choice_was_last_synced(client_for, cast):
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email,
                             choices={"customer_events": False}, source="hub")
    synced = datetime(2026, 2, 27, 8, 0, tzinfo=UTC)
    PreferenceChange.objects.update(status="sent", sent_at=synced)
    EmailPreference.objects.update(last_synced_at=synced)
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "Synced" in html and "Last synced 02/27/2026 9 a.m." in html  # Europe/Berlin
    assert "Pending sync" not in html
    assert html.count("Default setting") == 2


def test_categories_and_their_text_are_shown_in_the_users_language(client_for, cast):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "E-Mail-Einstellungen" in html
    assert "Neuigkeiten und Updates" in html and "Kundenveranstaltungen" in html


def test_inactive_categories_are_hidden(client_for, cast):
    EmailCategory.objects.filter(key="customer_events").update(is_active=False)
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "Customer events" not in html


def _only_categories(count, user, prefix):
    """Leave `count` active categories (plus Operational updates), each with a pending change."""
    EmailCategory.objects.exclude(key="operational_updates").update(is_active=False)
    keys = []
    for index in range(count):
        category = EmailCategory.objects.create(key=f"{prefix}_{index}", name=f"Topic {index}",
                                                description="About a topic.", position=100 + index)
        category.translations.create(language="de", name=f"Thema {index}", description="Über ein Thema.")
        keys.append(category.key)
    update_email_preferences(actor=user, email=user.email, choices=dict.fromkeys(keys, False), source="hub")
    return keys


@pytest.mark.parametrize("persona", ["brand_admin", "standard_user"])
def test_the_page_stays_within_the_query_budget_at_1_and_20_categories(client_for, cast, count_queries, persona):
    user = getattr(cast, persona)
    client = client_for(user)
    client.get(URL)
    _only_categories(1, user, "one")
    one = count_queries(lambda: client.get(URL))
    keys = _only_categories(20, user, "twenty")
    assert client.get(URL).content.decode().count("Pending sync") == 20
    twenty = count_queries(lambda: client.get(URL))
    assert one == twenty
    assert twenty <= 12
    save_twenty = count_queries(lambda: client.post(URL, dict.fromkeys(keys, "on"), HTTP_HX_REQUEST="true"))
    save_one = count_queries(lambda: client.post(URL, dict.fromkeys(keys[1:], "on"), HTTP_HX_REQUEST="true"))
    assert ConsentEvent.objects.filter(category__key__startswith="twenty").count() == 20 + 20 + 1
    assert save_one == save_twenty
