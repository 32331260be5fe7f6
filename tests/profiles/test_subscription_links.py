"""PREF-6: every email carries a Manage subscriptions link; marketing emails carry RFC 8058
one-click unsubscribe headers; the pages behind them need no sign-in, and a GET never changes a
preference."""

import base64
import json
import re
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from hub.notifications import queue_email
from profiles.models import ConsentEvent, EmailPreference, PreferenceChange, Subscriber
from profiles.preferences import tokens
from profiles.preferences.selectors import is_subscribed
from profiles.preferences.services import revoke_subscription_links, update_email_preferences
from tests.factories import StaffUserFactory

from .html import switches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_categories")]

MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _send(user, *, category="", template="allauth/password_reset_key"):
    context = {"password_reset_url": "https://hub.example/reset/abc/", "username": user.username,
               "category_key": category, "category_name": "News"}
    if category:
        template = "preferences_sample"
    return queue_email(to_email=user.email, template=template, user=user, context=context, category=category,
                       language=user.language or "en")


def _links(email):
    manage = re.search(r"https?://\S+/email-preferences/[^/\s\"]+/", email.body_text).group(0)
    unsubscribe = email.headers.get("List-Unsubscribe", "").strip("<>")
    return manage, unsubscribe


def _path(url):
    return "/" + url.split("/", 3)[3]


def _same_body(response):
    """The page without what changes on every response (CSRF tokens) or echoes the URL."""
    body = response.content.decode().replace(response.wsgi_request.path, "…")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1…", body)


def test_every_email_carries_a_manage_subscriptions_link(cast, settings, django_capture_on_commit_callbacks):
    settings.HUB_PUBLIC_URL = "https://hub.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        email = _send(cast.standard_user)
    manage, unsubscribe = _links(email)
    assert manage.startswith("https://hub.example.com/email-preferences/")
    assert f'href="{manage}"' in email.body_html and "Manage subscriptions" in email.body_html
    assert unsubscribe == "" and "List-Unsubscribe-Post" not in email.headers
    assert manage in mail.outbox[0].body
    assert Subscriber.objects.get().email == cast.standard_user.email


def test_marketing_emails_carry_one_click_unsubscribe_headers(cast, settings, django_capture_on_commit_callbacks):
    settings.HUB_PUBLIC_URL = "https://hub.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        email = _send(cast.standard_user, category="news_and_updates")
    sent = mail.outbox[0]
    assert re.fullmatch(r"<https://hub\.example\.com/email-preferences/[^/]+/unsubscribe/>", sent.extra_headers["List-Unsubscribe"])
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "X-Hub-Email-Id" in sent.message().as_string()
    assert _links(email)[0] in sent.body


def test_emails_of_an_always_on_category_have_no_unsubscribe_headers(cast):
    email = _send(cast.brand_admin, category="operational_updates")
    assert "List-Unsubscribe" not in email.headers
    assert _links(email)[0]


def test_an_unknown_category_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="Unknown email category"):
        _send(cast.standard_user, category="newsletter")


def test_links_are_signed_and_carry_no_readable_address(cast):
    email = _send(cast.standard_user, category="customer_events")
    manage, unsubscribe = _links(email)
    for url in (manage, unsubscribe):
        token = url.rstrip("/").removesuffix("/unsubscribe").rsplit("/", 1)[1]
        payload = token.split(":")[0]
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
        assert "@" not in decoded and "sam" not in decoded.lower()
        assert json.loads(decoded)[0] == Subscriber.objects.get().public_id.hex


def test_emails_and_the_subscription_page_speak_the_recipients_language(cast, client):
    cast.standard_user.language = "de"
    email = _send(cast.standard_user)
    assert "Abonnements verwalten" in email.body_text
    assert Subscriber.objects.get().language == "de"
    html = client.get(_path(_links(email)[0])).content.decode()
    assert '<html lang="de">' in html
    assert "Neuigkeiten und Updates" in html


def test_the_manage_page_shows_the_addresss_choices_without_signing_in(cast, client):
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email,
                             choices={"customer_events": False}, source="hub")
    manage, _ = _links(_send(cast.standard_user))
    response = client.get(_path(manage))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "sa•••@northwind.example" in html and cast.standard_user.email not in html
    assert switches(html)["customer_events"]["checked"] is False
    assert "operational_updates" not in switches(html)


def test_a_brand_admins_address_sees_operational_updates_locked(cast, client):
    manage, _ = _links(_send(cast.brand_admin))
    html = client.get(_path(manage)).content.decode()
    assert switches(html)["operational_updates"] == {"checked": True, "disabled": True}
    response = client.post(_path(manage), {"operational_updates": "false", "personalized_learning": "on"})
    assert response.status_code == 422
    assert not ConsentEvent.objects.exists()


@time_machine.travel(MONDAY, tick=False)
def test_a_get_on_any_subscription_link_changes_nothing(cast, client):
    email = _send(cast.standard_user, category="news_and_updates")
    manage, unsubscribe = _links(email)
    for url in (manage, unsubscribe):
        assert client.get(_path(url)).status_code == 200
    assert not EmailPreference.objects.exists()
    assert not ConsentEvent.objects.exists() and not PreferenceChange.objects.exists()


def test_the_unsubscribe_link_asks_for_confirmation_with_a_button(cast, client):
    _manage, unsubscribe = _links(_send(cast.standard_user, category="news_and_updates"))
    html = client.get(_path(unsubscribe)).content.decode()
    assert "Stop sending News &amp; updates emails to sa•••@northwind.example?" in html
    assert f'<form method="post" action="{_path(unsubscribe)}" class="unsubscribe-form">' in html
    assert '<button type="submit" class="button">Unsubscribe</button>' in html


@time_machine.travel(MONDAY, tick=False)
def test_one_click_post_turns_off_exactly_one_category_without_cookies_or_redirect(cast):
    """RFC 8058: a cookie-less POST with List-Unsubscribe=One-Click; CSRF is not asked for."""
    _manage, unsubscribe = _links(_send(cast.standard_user, category="news_and_updates"))
    mailbox_provider = Client(enforce_csrf_checks=True)
    response = mailbox_provider.post(_path(unsubscribe), "List-Unsubscribe=One-Click",
                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "is unsubscribed from News &amp; updates" in response.content.decode()
    assert list(EmailPreference.objects.values_list("category__key", "is_subscribed")) == [("news_and_updates", False)]
    event = ConsentEvent.objects.get()
    assert (event.source, event.actor, event.old_value, event.new_value, event.occurred_at) == (
        "one_click", None, None, False, MONDAY)
    assert PreferenceChange.objects.get().is_subscribed is False


@time_machine.travel(MONDAY, tick=False)
def test_one_click_is_idempotent(cast):
    _manage, unsubscribe = _links(_send(cast.standard_user, category="customer_events"))
    for _ in range(3):
        assert Client().post(_path(unsubscribe), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert ConsentEvent.objects.count() == 1 and PreferenceChange.objects.count() == 1


@time_machine.travel(MONDAY, tick=False)
def test_forged_and_unknown_address_tokens_get_the_same_answer(cast, client):
    """A forged token, a validly signed one naming no address, and a revoked one: one answer."""
    email = _send(cast.standard_user, category="news_and_updates")
    manage, unsubscribe = (_path(url) for url in _links(email))
    unknown_manage = reverse("subscriptions:manage", args=[tokens._sign([uuid.uuid4().hex, 1], tokens.MANAGE_SALT)])
    unknown_unsubscribe = reverse("subscriptions:unsubscribe", args=[
        tokens._sign([uuid.uuid4().hex, 1, "news_and_updates"], tokens.UNSUBSCRIBE_SALT)])
    forged_manage = manage[:-6] + ("A" if manage[-6] != "A" else "B") + manage[-5:]
    forged_unsubscribe = unsubscribe.replace("/unsubscribe/", "x/unsubscribe/")
    answers = {
        "manage GET": [client.get(url) for url in (unknown_manage, forged_manage)],
        "manage POST": [client.post(url, {}) for url in (unknown_manage, forged_manage)],
        "unsubscribe GET": [client.get(url) for url in (unknown_unsubscribe, forged_unsubscribe)],
        "unsubscribe POST": [Client().post(url, {}) for url in (unknown_unsubscribe, forged_unsubscribe)],
    }
    for name, (unknown, forged) in answers.items():
        assert unknown.status_code == forged.status_code, name
        assert _same_body(unknown) == _same_body(forged), name
        assert "This link is not valid" in unknown.content.decode()
    assert answers["manage GET"][0].status_code == 404
    assert answers["unsubscribe POST"][0].status_code == 200
    assert not ConsentEvent.objects.exists()


def test_revoked_links_stop_working_and_the_next_email_carries_a_new_one(cast, client):
    old_manage, old_unsubscribe = (_path(url) for url in _links(_send(cast.standard_user, category="news_and_updates")))
    revoke_subscription_links(actor=StaffUserFactory(), subscriber=Subscriber.objects.get())
    assert client.get(old_manage).status_code == 404
    assert Client().post(old_unsubscribe).status_code == 200
    assert not ConsentEvent.objects.exists()
    new_manage, _ = _links(_send(cast.standard_user))
    assert new_manage != old_manage and client.get(_path(new_manage)).status_code == 200


def test_saving_on_the_manage_page_shows_in_the_hub_at_once(cast, client, client_for):
    manage = _path(_links(_send(cast.standard_user))[0])
    response = client.post(manage, {"personalized_learning": "on", "news_and_updates": "on"})
    assert response.status_code == 302 and response["Location"] == manage
    assert "Your email preferences are saved." in client.get(manage).content.decode()
    event = ConsentEvent.objects.get()
    assert (event.category.key, event.source, event.actor) == ("customer_events", "email_link", None)
    html = client_for(cast.standard_user).get(reverse("profiles:email_preferences")).content.decode()
    assert switches(html)["customer_events"]["checked"] is False
    assert "Pending sync" in html


def test_the_manage_page_saves_in_place_with_htmx(cast, client):
    manage = _path(_links(_send(cast.standard_user))[0])
    response = client.post(manage, {"personalized_learning": "on"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Your email preferences are saved." in html
    assert ConsentEvent.objects.count() == 2


def test_the_manage_page_keeps_csrf_protection(cast):
    manage = _path(_links(_send(cast.standard_user))[0])
    response = Client(enforce_csrf_checks=True).post(manage, {"personalized_learning": "on"})
    assert response.status_code == 403
    assert not ConsentEvent.objects.exists()


def test_a_non_admin_address_cannot_choose_operational_updates(cast, client):
    manage = _path(_links(_send(cast.standard_user))[0])
    assert client.post(manage, {"operational_updates": "on"}).status_code == 403
    assert not ConsentEvent.objects.exists()


def test_the_manage_page_stays_within_the_query_budget(cast, client, count_queries, email_categories):
    manage = _path(_links(_send(cast.brand_admin))[0])
    client.get(manage)
    few = count_queries(lambda: client.get(manage))
    update_email_preferences(actor=None, email=cast.brand_admin.email, source="email_link",
                             choices={"personalized_learning": False, "news_and_updates": False})
    many = count_queries(lambda: client.get(manage))
    assert few == many <= 12


def test_senders_can_ask_whether_an_address_wants_a_category(cast):
    email = cast.standard_user.email.upper()
    assert is_subscribed(email=email, category_key="news_and_updates") is True  # the default
    update_email_preferences(actor=None, email=email, source="email_link", choices={"news_and_updates": False})
    assert is_subscribed(email=email, category_key="news_and_updates") is False
    assert is_subscribed(email=email, category_key="operational_updates") is True
    assert is_subscribed(email=email, category_key="newsletter") is False
