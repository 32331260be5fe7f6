"""ENT-3 end to end: a request escalated to Enterprise Support waits for its requester; they
Verify and confirm in the hub (re-entering their password), choose whether support may access
their account, and staff can act again. In English and in German; axe on every page. The
organization settings' Enterprise Support section and the Support plan page are audited too."""

import pytest
from django.core.management import call_command

from hub import demo
from support.demo import ESCALATED_SUBJECT
from support.models import EnterpriseVerification, Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("language, heading, button, done", [
    ("en", "Verification required", "Verify and confirm", "You verified your identity"),
    ("de", "Bestätigung erforderlich", "Bestätigen und freigeben", "Sie haben Ihre Identität bestätigt"),
])
def test_the_customer_verifies_and_confirms_after_an_escalation(visit, demo_data, language, heading, button, done):
    ticket = Ticket.objects.get(subject=ESCALATED_SUBJECT)
    assert ticket.status == "verification_required"
    customer = visit(language=language)
    customer.login("brand.admin", demo.PASSWORD)
    page = customer.page

    customer.goto(f"/support/tickets/{ticket.reference}/")
    verify = page.locator("#verify")
    assert heading in verify.inner_text()
    customer.audit()

    # Keyboard only: choose "No", then the button.
    page.focus("input[name=allows_account_access][value=no]")
    page.keyboard.press("Space")
    verify.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/reauthenticate/**")
    customer.audit()
    page.fill("input[name=password]", demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/support/tickets/{ticket.reference}/")
    page.wait_for_load_state("networkidle")
    assert done in page.inner_text("body")
    assert not page.locator("#verify").count()
    customer.audit()

    ticket.refresh_from_db()
    verification = EnterpriseVerification.objects.get(ticket=ticket)
    assert ticket.status == "open" and verification.allows_account_access is False


def test_the_enterprise_section_and_the_support_plan_pass_axe(visit, demo_data):
    admin = visit()
    admin.login("brand.admin", demo.PASSWORD)
    page = admin.page
    admin.goto("/profile/organization/")
    section = page.locator("#enterprise-support")
    assert "Seats used: 1 of 10" in section.inner_text()
    admin.audit()
    page.select_option("#enterprise-support select[name=user]", label="Sam Rivera (sam.rivera@northwind.example)")
    section.get_by_role("button", name="Designate").click()
    page.wait_for_selector("#enterprise-support [role=status]")
    assert "Seats used: 2 of 10" in page.locator("#enterprise-support").inner_text()
    admin.audit()
    page.click("text=Support plan")
    page.wait_for_url("**/support/entitlements/")
    assert "2 of 10 used" in page.inner_text("main")
    admin.audit()
