"""SCH-1 end to end, in English and German: a brand admin of Northwind (2 Success packages) goes
from the contact methods to Schedule a call, picks another date (htmx swaps the times, typed text
stays), tries to book without a time (errors in place), books, sees the confirmation; then
reschedules and cancels from the call's page and finds it in My scheduled calls. axe on every page."""

import re

import pytest

from hub import demo
from support.models import ScheduledCall

from .conftest import seed_demo

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"schedule": "Schedule a call", "booked": "Your call is booked.", "moved": "Your call is moved.",
           "cancelled": "Your call is cancelled.", "choose": "Choose a time for the call."},
    "de": {"schedule": "Anruf planen", "booked": "Ihr Anruf ist gebucht.", "moved": "Ihr Anruf ist verschoben.",
           "cancelled": "Ihr Anruf ist abgesagt.", "choose": "Wählen Sie eine Uhrzeit für den Anruf."},
}


@pytest.fixture
def demo_data(transactional_db):
    seed_demo("support.demo")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_success_package_user_books_reschedules_and_cancels_a_call(visit, demo_data, language):
    text = TEXT[language]
    session = visit(language=language)
    session.login("brand.admin", demo.PASSWORD)
    page = session.page

    session.goto(f"/support/technical/surveys/?language={language}")
    session.audit()
    page.click(f"a.button:has-text('{text['schedule']}')")
    page.wait_for_url("**/support/technical/surveys/scheduled-call/**")
    assert page.locator("html").get_attribute("lang") == language
    session.audit()

    # What the call is about first, then another date: htmx swaps only the times, the text stays.
    page.fill("#id_subject", "Quota logic review")
    page.fill("#id_description", "We would like to walk through the quota logic of our customer survey.")
    dates = page.locator(".date-list__link")
    assert dates.count() >= 2
    second = dates.nth(1)
    second_href = second.get_attribute("href")
    second.click()
    page.wait_for_function(
        "href => document.querySelector('.date-list__link[aria-current=date]')?.getAttribute('href') === href",
        arg=second_href,
    )
    assert page.input_value("#id_subject") == "Quota logic review"
    session.audit()

    # No time chosen: the errors appear in place (422 swapped), nothing typed is lost.
    page.click("#call-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert text["choose"] in page.inner_text(".error-summary")
    assert page.input_value("#id_subject") == "Quota logic review"
    session.audit()

    first_time = page.locator("#call-times input[type=radio]").first
    slot = first_time.get_attribute("value")
    first_time.check()
    page.click("#call-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/support/scheduled-calls/[0-9a-f-]{36}/$"))
    assert text["booked"] in page.inner_text("body")
    call = ScheduledCall.objects.get(ticket__subject="Quota logic review")
    assert call.starts_at.strftime("%Y-%m-%dT%H:%MZ") == slot
    assert call.ticket.reference in page.inner_text("body")
    session.audit()

    # Reschedule: the first date's first time.
    page.click(f"a[href$='/scheduled-calls/{call.public_id}/reschedule/']")
    page.wait_for_url("**/reschedule/")
    session.audit()
    page.locator("#call-times input[type=radio]").first.check()
    page.click("#call-form button[type=submit]")
    page.wait_for_url(f"**/scheduled-calls/{call.public_id}/")
    assert text["moved"] in page.inner_text("body")
    call.refresh_from_db()
    assert call.sequence == 1
    session.audit()

    page.click("form[action$='/cancel/'] button")
    page.wait_for_load_state("networkidle")
    assert text["cancelled"] in page.inner_text("body")
    call.refresh_from_db()
    assert call.status == "cancelled"
    session.audit()

    session.goto("/support/scheduled-calls/")
    assert call.ticket.reference in page.inner_text("body")
    session.audit()
    session.goto(f"/support/tickets/{call.ticket.reference}/")
    session.audit()
