"""CB-1..4 in a browser: a callback request in German. German waits much longer than English, so
the English offer opens as a modal dialog that the test operates with the keyboard only (focus
stays inside, Escape closes and keeps German; "Switch to English" and "Keep German" by Enter);
the wait follows the language through htmx; then the request is submitted and confirmed. Support
calls and nobody answers: "Call me again" puts it back in the queue, and the customer finally
cancels it, both with the keyboard. axe on every state."""

import re
import uuid
from datetime import time

import pytest
from playwright.sync_api import expect

from hub import demo, staff
from hub.models import User
from support.models import AgentShift, Callback, ProductArea, SupportAgent, SupportSchedule
from support.services import mark_callback_no_answer, request_callback
from tests.factories import StaffUserFactory, UserFactory, staff_member

from .conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def long_german_queue(transactional_db):
    seed_demo("support.demo")
    # Around the clock for this test, whatever the hour it runs at: German phone hours and shifts.
    SupportSchedule.objects.create(name="German phone (test)", channel="phone", languages=["de"],
                                   time_zone="Europe/Berlin", is_always_open=True)
    for languages in (["en"], ["en"], ["en"], ["de"]):
        agent = SupportAgent.objects.create(user=StaffUserFactory(), languages=languages)
        for day in range(7):
            AgentShift.objects.create(agent=agent, weekday=day, starts=time(0), ends=time(0), time_zone="Europe/Berlin")
    sam = User.objects.get(username="standard.user")
    area = ProductArea.objects.get(slug="surveys")
    for index in range(6):
        requester = UserFactory(organization=sam.organization)
        request_callback(requester=requester, product_area=area, language="de", country="DE", phone="+49 30 901820",
                         extension="", email=requester.email, subject=f"Frage {index}", can_access_account=False,
                         consents_to_recording=True, submission_key=uuid.uuid4())


def active(page):
    return page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id")


def test_a_german_callback_request_with_the_english_offer_operated_by_keyboard(visit, long_german_queue):
    ahead = Callback.objects.filter(language="de", status="queued").count()  # the test's six and the demo's
    assert ahead >= 6
    customer = visit()
    customer.login("standard.user", demo.PASSWORD)
    page = customer.page
    customer.goto("/support/technical/surveys/?language=de")
    customer.audit()
    page.click("text=Request a call")
    page.wait_for_url("**/support/technical/surveys/callback/?language=de")

    # The offer opens as a modal dialog with focus inside it.
    dialog = page.locator("dialog#english-offer")
    dialog.wait_for(state="visible")
    expect(dialog.get_by_role("button", name="Switch to English")).to_be_focused()
    assert page.evaluate("document.querySelector('dialog#english-offer').open")
    assert "Get a call sooner in English?" in dialog.inner_text()
    assert active(page) == "Switch to English"
    customer.audit()
    # Focus is trapped: Tab and Shift+Tab wrap around inside the dialog.
    page.keyboard.press("Tab")
    assert active(page) == "Keep German"
    page.keyboard.press("Tab")
    assert active(page) == "Switch to English"
    page.keyboard.press("Shift+Tab")
    assert active(page) == "Keep German"
    # Escape closes it, keeps German and returns focus to the language.
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('dialog#english-offer').open")
    expect(page.locator("#id_language")).to_be_focused()
    assert page.input_value("#id_language") == "de"

    # Again: "Switch to English" with Enter changes the language; the wait follows (htmx).
    customer.goto("/support/technical/surveys/callback/?language=de")
    dialog.wait_for(state="visible")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    assert page.input_value("#id_language") == "en"
    assert "0 requests in English ahead of you" in page.inner_text("#callback-estimate")
    customer.audit()
    # Back to German: the offer opens again; "Keep German" with the keyboard.
    page.select_option("#id_language", "de")
    dialog.wait_for(state="visible")
    assert f"{ahead} requests in German ahead of you" in page.inner_text("#callback-estimate")
    expect(dialog.get_by_role("button", name="Switch to English")).to_be_focused()  # the dialog took the focus
    page.keyboard.press("Tab")
    assert active(page) == "Keep German"
    page.keyboard.press("Enter")
    assert not page.evaluate("document.querySelector('dialog#english-offer').open")
    assert page.input_value("#id_language") == "de"
    customer.audit()

    # The country sets the calling code; the email is prefilled with the account's.
    page.select_option("#id_country", "DE")
    expect(page.locator("#calling-code")).to_have_text("+49")
    assert page.input_value("#id_email") == "sam.rivera@northwind.example"
    assert page.is_checked("#id_consents_to_recording")
    page.fill("#id_phone", "12")  # too short: the error is at the field, in place
    page.fill("#id_subject", "Quotenzähler aktualisieren sich nicht")
    page.click("button:has-text('Submit call request')")
    page.wait_for_selector(".error-summary")
    assert "Enter a valid phone number for Germany" in page.inner_text("#request-form")
    customer.audit()
    page.fill("#id_phone", "030 901820")
    page.fill("#id_extension", "12")
    page.click("button:has-text('Submit call request')")
    page.wait_for_url(re.compile(r".*/support/callbacks/[0-9a-f-]{36}/$"))
    main = page.inner_text("main")
    assert f"No. {ahead + 1}" in main and f"{ahead} requests in German are ahead of you." in main
    assert "+49 30 901820 ext. 12" in main
    customer.audit()
    callback = Callback.objects.get(requester__username="standard.user")
    assert callback.language == "de" and callback.ticket.channel == "phone"

    # Support called and nobody answered: "Call me again", with the keyboard, back in the queue.
    mark_callback_no_answer(actor=staff_member(staff.SUPPORT_AGENTS), callback=callback)
    customer.goto(page.url.removeprefix(customer.base_url))
    assert "We could not reach you" in page.inner_text("main")
    customer.audit()
    page.get_by_role("button", name="Call me again").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are back in the queue. We will call you again.")).to_be_visible()
    assert f"No. {ahead + 1}" in page.inner_text("main")
    customer.audit()
    # No longer needed: cancelled with the keyboard; the request is solved.
    page.get_by_role("button", name="Cancel the call request").focus()
    page.keyboard.press("Space")
    expect(page.get_by_text("Your call request is cancelled")).to_be_visible()
    assert "Cancel the call request" not in page.inner_text("main")
    customer.audit()
    callback.refresh_from_db()
    assert callback.status == "cancelled" and callback.ticket.status == "solved"
