"""Billing details in a real browser (UX-1, A11Y-1): the brand admin switches contracts, edits the
billing contact in place and sees "last updated by" change; a contact confirms from home; every
page and state passes axe-core, with JavaScript and without."""

import re

import pytest

from hub import demo

from .conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    return seed_demo("billing.demo")


def test_admin_switches_contract_and_edits_the_billing_contact(visit, demo_data):
    session = visit()
    session.login("brand.admin", demo.PASSWORD)
    page = session.page
    session.goto("/profile/billing/")
    assert page.inner_text("#contract-title") == "Contract 40018232"
    session.audit()

    page.select_option("#contract-switcher", "40018231")
    page.wait_for_url(re.compile(r"/profile/billing/40018231/$"))
    page.wait_for_selector("#contract-title:has-text('Contract 40018231')")
    billing_card = page.locator("#contact-billing")
    assert "Last updated on" in billing_card.inner_text() and "by Alex Morgan" in billing_card.inner_text()
    before = billing_card.locator(".contact-card__updated").inner_text()
    session.audit()

    billing_card.get_by_role("link", name="Edit Billing contact").click()
    page.wait_for_selector("#contact-billing form")
    assert page.locator("#id_first_name").evaluate("el => el === document.activeElement")
    page.fill("#id_email", "not-an-email")
    page.click("#contact-billing button[type=submit]")
    page.wait_for_selector("#contact-billing .error-summary")
    assert "Enter a valid email address" in page.inner_text("#contact-billing")
    session.audit()

    page.fill("#id_first_name", "Finance")
    page.fill("#id_last_name", "Team")
    page.fill("#id_email", "finance@northwind.example")
    page.click("#contact-billing button[type=submit]")
    page.wait_for_selector("#contract-panel .alert--success")
    card = page.locator("#contact-billing")
    assert "Finance Team" in card.inner_text()
    after = card.locator(".contact-card__updated").inner_text()
    assert "by Alex Morgan" in after and after != before
    assert "Billing contact saved." in page.inner_text("#contract-panel [role=status]")
    session.audit()

    page.reload()
    assert "Finance Team" in page.inner_text("#contact-billing")
    assert page.url.endswith("/profile/billing/40018231/")


def test_contact_confirms_from_the_home_banner_and_asks_a_question(visit, demo_data):
    session = visit(language="de")
    session.login("billing.contact", demo.PASSWORD)
    page = session.page
    banner = page.locator(".banner:has(button)", has_text="40018232")
    assert banner.count() == 1
    session.audit()
    banner.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".banner:has(button)", has_text="40018232").count() == 0
    session.audit()

    session.goto("/profile/billing/")
    assert page.locator("#contract-switcher").count() == 0
    page.click("#billing-question a.button")
    page.wait_for_selector("#billing-question form")
    session.audit()
    page.fill("#id_subject", "Rechnung 2026-114")
    page.fill("#id_message", "Die Rechnung nennt 1.300 Plätze; wir haben 1.200.")
    page.click("#billing-question button[type=submit]")
    page.wait_for_selector("#billing-question [role=status]")
    session.audit()


def test_billing_works_without_javascript(browser, live_server, demo_data):
    from .conftest import BrowserSession

    context = browser.new_context(java_script_enabled=False)
    try:
        session = BrowserSession(context, live_server.url)
        session.login("brand.admin", demo.PASSWORD)
        page = session.page
        session.goto("/profile/billing/")
        page.select_option("#contract-switcher", "40018233")
        page.click(".contract-switcher button[type=submit]")
        page.wait_for_url(re.compile(r"/profile/billing/40018233/$"))
        page.click("#contact-primary a.button")
        page.wait_for_url(re.compile(r"/contacts/primary/edit/$"))
        page.fill("#id_last_name", "Park-Lee")
        page.click("#contact-primary button[type=submit]")
        page.wait_for_url(re.compile(r"/profile/billing/40018233/#contact-primary$"))
        assert "Lee Park-Lee" in page.inner_text("#contact-primary")
        assert "Primary contact saved." in page.inner_text(".messages")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_every_billing_page_is_accessible_and_fits_small_screens(visit, demo_data, width):
    session = visit(width=width)
    session.login("nocsm.admin", demo.PASSWORD)
    for path in ("/", "/profile/billing/", "/profile/billing/40020417/contacts/billing/edit/",
                 "/profile/billing/contact-us/?contract=40020417"):
        session.goto(path)
        session.audit()
        overflow = session.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
