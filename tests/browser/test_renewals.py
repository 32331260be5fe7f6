"""The renewal wizard in a real browser, keyboard only (REN-2..6, A11Y-1): `billing.contact`
prepares the demo renewal with Tab, Enter and Space, edits the billing contact on the way, goes
Back and uses a link in the step header, submits and sees where and when the invoice goes. Every
step passes axe-core; the German wizard too."""

import re

import pytest

from hub import demo

from .conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    return seed_demo("billing.demo", "renewals.demo")


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus by Tab")


def wait_for_step(page, step):
    page.wait_for_url(re.compile(rf"/renewals/40018232/{step}/$"))
    page.wait_for_load_state("networkidle")


def test_billing_contact_completes_the_wizard_with_the_keyboard(visit, demo_data):
    session = visit()
    session.login("billing.contact", demo.PASSWORD)
    page = session.page
    assert "Your renewal is coming up" in page.inner_text("main")
    session.audit()

    tab_to(page, "a.button[href='/renewals/40018232/']")
    page.keyboard.press("Enter")
    wait_for_step(page, "intent")
    assert page.locator("[aria-current=step]").inner_text().strip() == "Intent"
    session.audit()

    tab_to(page, "#id_intent_0")
    page.keyboard.press("Space")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "primary")
    session.audit()

    tab_to(page, "#id_action_0")
    page.keyboard.press("Space")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "billing")
    session.audit()

    # Edit the billing contact on the way (the billing record itself, REN-5).
    tab_to(page, "#id_action_0")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_action_1").is_checked()
    tab_to(page, "#id_last_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Nair-Shah")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "po")
    assert page.locator(".steps__item--done").count() == 3
    session.audit()

    # Back, then forward again through the step header.
    tab_to(page, "#renewal-panel a.button--secondary")
    page.keyboard.press("Enter")
    wait_for_step(page, "billing")
    assert "Nair-Shah" in page.inner_text("#renewal-panel")
    tab_to(page, ".steps a[href='/renewals/40018232/po/']")
    page.keyboard.press("Enter")
    wait_for_step(page, "po")

    tab_to(page, "#id_no_po_needed")
    page.keyboard.press("Space")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "addresses")
    assert "Am Sandtorkai 12" in page.inner_text("#renewal-panel")
    session.audit()

    tab_to(page, "#id_shipping_address_action_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_billing_address_action_0")
    page.keyboard.press("Space")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "instructions")
    session.audit()

    tab_to(page, "#id_no_instructions")
    page.keyboard.press("Space")
    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_step(page, "review")
    review = page.inner_text("#renewal-panel")
    assert "Priya Nair-Shah" in review and "No PO number needed" in review
    session.audit()

    tab_to(page, "#renewal-panel button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/renewals/40018232/summary/$"))
    page.wait_for_selector("#renewal-panel [role=status]")
    confirmation = page.inner_text("#renewal-panel")
    assert "Your renewal is submitted" in confirmation
    assert "The invoice will be sent to priya.nair@northwind.example on" in confirmation
    session.audit()


def test_the_german_wizard_passes_axe(visit, demo_data):
    from hub.models import User

    User.objects.filter(username="billing.contact").update(language="de")
    session = visit(language="de")
    session.login("billing.contact", demo.PASSWORD)
    page = session.page
    assert "Ihre Verlängerung steht bevor" in page.inner_text("main")
    session.goto("/renewals/40018232/intent/")
    assert page.get_attribute("html", "lang") == "de"
    session.audit()
    page.click("#renewal-panel button[type=submit]")
    page.wait_for_selector("#renewal-panel .error-summary")
    session.audit()
    page.check("#id_intent_0")
    page.click("#renewal-panel button[type=submit]")
    wait_for_step(page, "primary")
    session.audit()
    session.goto("/renewals/40018232/summary/")
    session.audit()


def test_the_wizard_works_without_javascript(browser, live_server, demo_data):
    from .conftest import BrowserSession

    context = browser.new_context(java_script_enabled=False)
    try:
        session = BrowserSession(context, live_server.url)
        session.login("billing.contact", demo.PASSWORD)
        page = session.page
        session.goto("/renewals/40018232/")
        page.check("#id_intent_0")
        page.click("#renewal-panel button[type=submit]")
        page.wait_for_url(re.compile(r"/renewals/40018232/primary/$"))
        assert page.locator("[aria-current=step]").inner_text().strip() == "Primary contact"
    finally:
        context.close()
