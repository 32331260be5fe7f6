"""AST-1, AST-3 end to end: a customer asks the assistant, follows the cited article, says the
answer did not help, contacts support and the ticket carries the conversation; the help center
and the assistant in German. axe on every page."""

import pytest

from hub import demo
from hub.models import User
from support.models import AssistantConversation, Ticket
from tests.factories import KnowledgeArticleFactory

from .conftest import seed_demo

pytestmark = pytest.mark.browser

EXPORT = """Responses can be downloaded from the Data & Analysis tab.

## Export responses

Open **Data & Analysis**, choose *Export & Import*, then *Export data*. Pick CSV or Excel and select **Download**.
"""
EXPORT_DE = """## Antworten exportieren

Öffnen Sie **Daten & Analyse**, wählen Sie *Daten exportieren* und dann CSV oder Excel.
"""


@pytest.fixture
def demo_data(transactional_db):
    seed_demo("support.demo")
    KnowledgeArticleFactory(slug="export-responses", title="Export survey responses", body=EXPORT, areas=["surveys"])
    KnowledgeArticleFactory(slug="export-responses", language="de", title="Umfrageantworten exportieren",
                            body=EXPORT_DE, areas=["surveys"])


def test_ask_follow_the_source_say_no_and_contact_support(visit, demo_data):
    customer = visit()
    customer.login("standard.user", demo.PASSWORD)
    page = customer.page
    customer.goto("/support/technical/surveys/assistant/")
    assert page.locator("text=Talk to a person").is_visible()
    customer.audit()

    page.fill("#id_question", "How do I export survey responses to Excel?")
    page.click("button:has-text('Ask')")
    page.wait_for_selector(".assistant__answer")
    assert "Pick CSV or Excel" in page.inner_text(".assistant__answer")
    assert "/support/assistant/" in page.url  # htmx pushed the conversation's address
    customer.audit()

    with page.expect_navigation():
        page.click(".assistant__source a")
    assert page.url.endswith("/help/export-responses/?language=en")
    assert page.inner_text("h1") == "Export survey responses"
    customer.audit()
    page.go_back()
    page.wait_for_selector(".assistant__feedback")

    page.click(".assistant__feedback button:has-text('No')")
    page.wait_for_selector("text=Sorry it did not help.")
    customer.audit()
    page.click(".assistant__escalate a")
    page.wait_for_url("**/contact/")
    assert "Email" in page.inner_text("main")
    customer.audit()
    page.click("text=Write to us")
    page.wait_for_selector("text=Your conversation with the assistant")
    customer.audit()
    page.fill("#id_subject", "Excel export has no rows")
    page.fill("#id_description", "The Excel file from Export data is empty although we have responses.")
    page.click("button:has-text('Send request')")
    page.wait_for_url("**/support/tickets/CS-*/")
    customer.audit()

    ticket = Ticket.objects.get(subject="Excel export has no rows")
    assert ticket.product_area.slug == "surveys"
    assert "Question: How do I export survey responses to Excel?" in ticket.description
    assert "/help/export-responses/?language=en" in ticket.description
    conversation = AssistantConversation.objects.get(ticket=ticket)
    assert conversation.outcome == AssistantConversation.Outcome.ESCALATED


def test_the_assistant_and_help_center_in_german(visit, demo_data):
    User.objects.filter(username="standard.user").update(language="de")
    customer = visit(language="de")
    customer.login("standard.user", demo.PASSWORD)
    page = customer.page
    customer.goto("/support/technical/surveys/assistant/")
    assert page.inner_text("h1") == "Fragen Sie den Support-Assistenten"
    customer.audit()
    page.fill("#id_question", "Wie exportiere ich Antworten nach Excel?")
    page.click("form.assistant__ask button[type=submit]")
    page.wait_for_selector(".assistant__answer")
    assert "Umfrageantworten exportieren" in page.inner_text(".assistant__answer")
    assert "Hat das Ihre Frage beantwortet?" in page.inner_text(".assistant__answer")
    customer.audit()
    page.click(".assistant__feedback button:has-text('Ja')")
    page.wait_for_selector(".assistant .alert--success")
    customer.audit()

    customer.goto("/help/?q=exportieren")
    assert "Umfrageantworten exportieren" in page.inner_text("#help-results")
    customer.audit()
    customer.goto("/help/export-responses/")
    assert page.inner_text("h1") == "Umfrageantworten exportieren"
    page.click("#feedback button:has-text('Ja')")
    page.wait_for_selector("#feedback [role=status]")
    customer.audit()


def test_the_assistant_works_without_javascript(browser, live_server, demo_data):
    from .conftest import BrowserSession

    context = browser.new_context(java_script_enabled=False, locale="en")
    try:
        session = BrowserSession(context, live_server.url)
        session.login("standard.user", demo.PASSWORD)
        page = session.page
        session.goto("/support/technical/surveys/assistant/")
        page.fill("#id_question", "export responses to Excel")
        with page.expect_navigation():
            page.click("form.assistant__ask button[type=submit]")
        assert "Pick CSV or Excel" in page.inner_text(".assistant__answer")
        with page.expect_navigation():
            page.click(".assistant__feedback button:has-text('Yes')")
        assert "Glad it helped." in page.inner_text("main")
    finally:
        context.close()
