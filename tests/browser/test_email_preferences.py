"""Email preferences in a real browser (PREF-5, PREF-6, A11Y-1, UX-1): htmx saves in place, the
page works without JavaScript, and every page, including the public subscription pages, passes
axe in English and German, wide and at 360 px."""

import pytest
from django.urls import reverse

from hub import demo
from profiles.models import ConsentEvent, EmailCategory, EmailPreference
from profiles.preferences import tokens
from profiles.preferences.services import get_or_create_subscriber

from .conftest import BrowserSession, seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    return seed_demo("profiles.preferences.demo")


URL = "/profile/email-preferences/"


def _subscribed(email, key):
    return EmailPreference.objects.get(subscriber__email=email, category__key=key).is_subscribed


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("de", 360)])
def test_a_brand_admin_saves_in_place_with_htmx(visit, demo_data, language, width):
    session = visit(language=language, width=width)
    session.login("brand.admin", demo.PASSWORD)
    session.goto(URL)
    page = session.page
    session.audit()
    assert page.is_disabled("#pref-operational_updates") and page.is_checked("#pref-operational_updates")
    page.focus("#pref-customer_events")
    page.keyboard.press("Space")
    assert not page.is_checked("#pref-customer_events")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.click("#email-preferences-form button[type=submit]")
    assert answer.value.status == 200
    page.wait_for_selector("#preferences-status .alert--success")
    assert page.url.endswith(URL)
    assert page.locator("#pref-customer_events ~ label").count() == 1
    assert page.is_visible("#pref-customer_events-status .badge--warning")
    session.audit()
    assert _subscribed("alex.morgan@northwind.example", "customer_events") is False
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"


def test_saving_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, locale="en")
    try:
        session = BrowserSession(context, live_server.url)
        session.login("standard.user", demo.PASSWORD)
        session.goto(URL)
        session.page.uncheck("#pref-personalized_learning")
        session.page.click("#email-preferences-form button[type=submit]")
        session.page.wait_for_load_state("networkidle")
        assert "It can take up to 24 hours" in session.page.inner_text(".messages")
        assert _subscribed("sam.rivera@northwind.example", "personalized_learning") is False
    finally:
        context.close()


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("de", 360)])
def test_the_public_subscription_pages_are_accessible(visit, demo_data, language, width):
    subscriber = get_or_create_subscriber(email="sam.rivera@northwind.example")
    category = EmailCategory.objects.get(key="news_and_updates")
    session = visit(language=language, width=width)
    session.goto(reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)]))
    assert session.page.is_visible("#pref-news_and_updates")
    session.audit()
    session.goto(reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscriber, category)]))
    session.audit()
    assert ConsentEvent.objects.filter(source="one_click").count() == 0  # the GET changed nothing
    session.page.click("main form button[type=submit]")
    session.page.wait_for_load_state("networkidle")
    assert session.page.is_visible(".alert--success")
    session.audit()
    assert _subscribed("sam.rivera@northwind.example", "news_and_updates") is False
    session.goto("/email-preferences/forged-token/")
    assert session.page.is_visible("h1")
    session.audit()
