"""SUP-1..6 end to end: a standard user files an email ticket (pre-check → area, whose description
keyboard focus reveals → contact methods → email form), finds it in My tickets and replies; an
agent answers from the admin; the customer sees the answer and rates it. axe on every page."""

import re

import pytest

from hub import demo

from .conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    return seed_demo("support.demo")


def test_a_customer_files_an_email_ticket_an_agent_answers_and_the_customer_rates_it(visit, demo_data):
    customer = visit()
    customer.login("standard.user", demo.PASSWORD)
    page = customer.page

    page.click("header >> text=Contact")
    page.wait_for_url("**/support/")
    customer.audit()
    page.click("text=Get technical support")
    page.wait_for_url("**/support/technical/")
    assert "Does this belong with your brand administrator?" in page.inner_text("main")
    customer.audit()
    page.click("text=Continue to technical support")
    page.wait_for_url("**/support/technical/areas/")
    customer.audit()

    # Keyboard only: from the step link, Tab reaches the first area; its description appears.
    details = page.locator("#area-surveys-details")
    assert not details.is_visible()
    page.focus("nav.steps a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/support/technical/surveys/assistant/"
    assert details.is_visible()
    assert "Build, distribute and analyze surveys" in details.inner_text()
    assert not page.locator("#area-sso-details").is_visible()
    page.keyboard.press("Tab")
    assert page.locator("#area-employee-experience-details").is_visible() and not details.is_visible()
    customer.audit()
    page.hover("a[href='/support/technical/sso/assistant/']")  # pointing shows it too
    assert page.locator("#area-sso-details").is_visible()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/support/technical/surveys/assistant/")  # SUP-4: the assistant first
    page.click("text=Talk to a person")
    page.wait_for_url("**/support/technical/surveys/")
    assert "Open now" in page.inner_text("main")
    customer.audit()

    page.click("text=Write to us")
    page.wait_for_url("**/support/technical/surveys/email/**")
    customer.audit()
    page.click("button:has-text('Send request')")  # empty: errors at the fields, in place
    page.wait_for_selector(".error-summary")
    customer.audit()
    page.fill("#id_subject", "Quota table shows yesterday's numbers")
    page.fill("#id_description", "The quota table in our employee survey has not updated since yesterday.")
    page.click("button:has-text('Send request')")
    page.wait_for_url(re.compile(r".*/support/tickets/CS-\d{6}/$"))
    reference = re.search(r"CS-\d{6}", page.url).group(0)
    assert "We received your request" not in page.inner_text("main")  # that is the email
    assert reference in page.inner_text("main")
    customer.audit()

    customer.goto("/support/tickets/")
    assert reference in page.inner_text("#ticket-results")
    customer.audit()
    page.click(f"text={reference}")
    page.fill("#id_message", "It affects the Berlin office quota only.")
    page.click("button:has-text('Send reply')")
    page.wait_for_selector("text=Your reply was added to the request.")
    assert "It affects the Berlin office quota only." in page.inner_text("#timeline")
    customer.audit()

    agent = visit()
    agent.login("support.agent", demo.PASSWORD)
    agent.goto(f"/admin/support/ticket/?q={reference}")
    agent.page.click(f"a:has-text('{reference}')")
    agent.page.click("text=Reply to the customer")
    agent.page.fill("#id_message", "We refreshed the quota cache; the table is current again.")
    agent.page.select_option("#id_status", "solved")
    agent.page.click("input[type=submit]")
    agent.page.wait_for_selector("text=Reply sent to")

    customer.goto(f"/support/tickets/{reference}/")
    assert "We refreshed the quota cache" in page.inner_text("#timeline")
    assert "Elena from Support" in page.inner_text("#timeline")
    customer.audit()
    page.check("input[name=score][value=good]")
    page.click("button:has-text('Send rating')")
    page.wait_for_selector("text=Thank you for your feedback.")
    customer.audit()
