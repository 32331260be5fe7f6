"""Profile sections in a real browser: every persona's sections pass axe; self-deletion end to end
(PRO-6); the organization contact and the Account Services intake through htmx (PRO-8, PRO-4)."""

import pytest

from hub import demo
from hub.models import OutboundEmail, User
from profiles.access import can_delete_own_account, can_see_connected_accounts, can_see_organization_settings
from support.models import AccountServicesRequest
from support.services import submit_account_services_request

from .conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    return seed_demo("profiles.demo")


def sections_for(user):
    paths = ["/profile/"]
    if can_see_connected_accounts(user):
        paths.append("/profile/connected/")
    if can_see_organization_settings(user):
        paths.append("/profile/organization/")
    if can_delete_own_account(user):
        paths.append("/profile/delete/")
    return paths


@pytest.mark.parametrize("username", list(demo.PERSONAS))
def test_every_profile_section_of_every_persona_is_accessible(visit, demo_data, username):
    session = visit()
    session.login(username, demo.PASSWORD)
    for path in sections_for(User.objects.get(username=username)):
        assert session.goto(path).status == 200
        session.audit()


@pytest.mark.parametrize("language", ["de", "ja"])
def test_profile_sections_fit_a_small_screen_in_other_languages(visit, demo_data, language):
    session = visit(language=language, width=360)
    session.login("selfservice.admin", demo.PASSWORD)
    for path in ("/profile/", "/profile/connected/", "/profile/organization/", "/profile/delete/"):
        session.goto(path)
        assert session.page.get_attribute("html", "lang") == language
        session.audit()
        overflow = session.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_a_free_user_deletes_their_account_end_to_end(visit, demo_data):
    robin = User.objects.get(username="free.user")
    kept = submit_account_services_request(requester=robin, category="license_request", subject="Upgrade to teams",
                                           message="We would like to add two colleagues.", source="profile")
    session = visit()
    session.login("free.user", demo.PASSWORD)
    page = session.page
    session.goto("/profile/")
    page.click("text=Delete my account")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/profile/delete/")
    session.audit()

    page.fill("input[name=password]", "not-my-password")
    page.click("button:has-text('Delete my account permanently')")
    page.wait_for_selector("text=The password is not correct.")
    assert page.url.endswith("/profile/delete/")
    session.audit()

    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button:has-text('Delete my account permanently')")
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_load_state("networkidle")
    assert "Your account has been deleted." in page.inner_text("body")
    session.audit()

    robin.refresh_from_db()
    assert robin.deleted_at is not None and not robin.is_active
    assert robin.email == "" and robin.first_name == "" and robin.username.startswith("deleted-")
    kept.refresh_from_db()
    assert str(kept.requester) == "Deleted user" and kept.subject == "Upgrade to teams"
    confirmation = OutboundEmail.objects.get(template="account_deleted")
    assert confirmation.to_email == "robin.chen@solo.example" and "Robin" in confirmation.body_text

    # The old credentials no longer open the hub.
    session.login("free.user", demo.PASSWORD)
    assert "/accounts/login/" in page.url
    session.goto("/profile/")
    assert "/accounts/login/" in page.url


def test_a_brand_admin_chooses_the_contact_standard_users_see(visit, demo_data):
    session = visit()
    session.login("brand.admin", demo.PASSWORD)
    page = session.page
    session.goto("/profile/organization/")
    page.check("label:has-text('Chris Park') input")
    page.click("button:has-text('Save contact')")
    page.wait_for_selector("text=Saved. Standard users now see this contact.")
    assert "mailto:chris.park@northwind.example" in page.inner_html("#organization-contact")
    session.audit()

    page.check("label:has-text('Someone else') input")
    page.fill("input[name=name]", "Northwind IT Desk")
    page.fill("input[name=phone]", "12")
    page.click("button:has-text('Save contact')")
    page.wait_for_selector(".error-summary")
    session.audit()
    page.fill("input[name=phone]", "+49 30 1234567")
    page.click("button:has-text('Save contact')")
    page.wait_for_selector("text=Saved. Standard users now see this contact.")

    other = visit()
    other.login("standard.user", demo.PASSWORD)
    other.goto("/profile/")
    assert "Northwind IT Desk" in other.page.inner_text("main")


def test_a_brand_admin_without_a_csm_asks_account_services(visit, demo_data):
    session = visit()
    session.login("nocsm.admin", demo.PASSWORD)
    page = session.page
    session.goto("/profile/")
    page.fill("input[name=subject]", "Ten more seats")
    page.fill("textarea[name=message]", "short")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("text=Describe your request in at least 10 characters.")
    session.audit()
    page.fill("textarea[name=message]", "We hire ten analysts in May and need seats for them.")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("text=Request sent.")
    session.audit()
    request = AccountServicesRequest.objects.get()
    assert (request.source, request.subject, request.requester.username) == ("profile", "Ten more seats", "nocsm.admin")
