"""SUP-7 end to end, the test playing both sides in two browser contexts: a customer starts a chat
from the contact methods, the agent sees it appear in the console, answers; messages reach each
side by polling; the agent closes the chat and the customer is offered email or a call back; the
transcript is on the ticket. axe on every page, in English and in German."""

import re

import pytest

from hub import demo
from hub.models import User
from support.models import SupportSchedule

from .conftest import seed_demo

pytestmark = pytest.mark.browser

@pytest.fixture
def demo_data(transactional_db):
    seed_demo("support.demo")
    # The test must not depend on the clock: chat is staffed around the clock here.
    SupportSchedule.objects.filter(channel="chat").update(is_always_open=True)
    SupportSchedule.objects.filter(channel="chat").first().holidays.clear()


def wait_for_message(page, selector, text):
    """The message appears without a reload (polling); how fast is measured in tests/bench/."""
    page.wait_for_selector(f"{selector} >> text={text}", timeout=10_000)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_customer_chats_with_an_agent_who_answers_from_the_console(visit, demo_data, language):
    User.objects.filter(username="standard.user").update(language=language)
    agent = visit()
    agent.login("support.agent", demo.PASSWORD)
    agent.goto("/admin/support/chat/console/")
    assert "You are online for chat." in agent.page.inner_text("#content-main")
    assert "No chat is waiting." in agent.page.inner_text("#chat-queue")
    agent.audit()

    customer = visit(language=language)
    customer.login("standard.user", demo.PASSWORD)
    page = customer.page
    customer.goto("/support/technical/surveys/?language=en")
    assert page.get_attribute("html", "lang") == language
    customer.audit()
    page.click("a[href^='/support/technical/surveys/chat/']")
    page.wait_for_selector("#chat-start textarea")
    customer.audit()
    page.click("#chat-start button[type=submit]")  # empty: the error at the field, in place
    page.wait_for_selector("#chat-start .errorlist")
    customer.audit()
    page.fill("#chat-start textarea", "Our quota table stopped updating yesterday.")
    page.click("#chat-start button[type=submit]")
    page.wait_for_url(re.compile(r".*/support/chats/[0-9a-f-]{36}/$"))
    page.wait_for_selector("#chat-log >> text=Our quota table stopped updating yesterday.")
    assert page.inner_text("h1") == {"en": "Chat with support", "de": "Mit dem Support chatten"}[language]
    customer.audit()

    # The console refreshes itself: the waiting chat appears without reloading.
    agent.page.wait_for_selector("#chat-queue >> text=Sam Rivera", timeout=10_000)
    agent.page.click("#chat-queue a:has-text('Open')")
    agent.page.wait_for_selector("text=Answer this chat")
    agent.audit()
    agent.page.click("text=Answer this chat")
    agent.page.wait_for_selector("#chat-form textarea")
    agent.audit()

    # The customer hears that Elena joined, without reloading.
    page.wait_for_selector("#chat-log .chat-log__notice", timeout=10_000)
    agent.page.fill("#chat-form textarea", "Which survey is it?")
    agent.page.click("#chat-form input[type=submit]")
    wait_for_message(page, "#chat-log", "Which survey is it?")
    customer.audit()

    page.fill("#chat-form textarea", "The employee pulse survey.")
    page.click("#chat-form button[type=submit]")
    wait_for_message(page, "#chat-log", "The employee pulse survey.")
    wait_for_message(agent.page, "#chat-log", "The employee pulse survey.")
    assert page.input_value("#chat-form textarea") == ""
    assert page.locator("#chat-log >> text=The employee pulse survey.").count() == 1  # never twice

    agent.page.click("button[name=close][value='1']")
    agent.page.wait_for_selector("text=You closed the chat")
    agent.audit()
    page.wait_for_selector("#chat-footer a[href$='#reply']", timeout=10_000)
    assert page.locator("#chat-footer a[href^='/support/technical/surveys/']").count() == 1
    assert page.locator("#chat-form").count() == 0
    customer.audit()

    page.click("#chat-footer a[href$='#reply']")
    page.wait_for_url(re.compile(r".*/support/tickets/CS-\d{6}/"))
    timeline = page.inner_text("#timeline")
    assert "Which survey is it?" in timeline and "The employee pulse survey." in timeline
    customer.audit()
