"""AUTH-2 end to end in Chromium: Sign in with SSO → organization id → a real OpenID Connect
provider running as a second process → back, signed in; a person of another organization with the
same address at the provider is refused. axe-core audits every sign-in page on the way."""

import pytest

from hub import demo
from hub.models import Organization, User
from hub.sso.models import OrganizationSignIn
from tests.sso_provider.harness import running_provider

from ..sso_helpers import PROVIDER_PASSWORD, configure_oidc, provider_seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_provider(live_server, tmp_path_factory):
    seed = provider_seed([live_server.url])
    with running_provider(tmp_path_factory.mktemp("oidc-live"), **seed) as provider:
        yield provider


def sign_in_with_sso(session, organization_id, provider_username, *, audit=True):
    page = session.page
    session.goto("/accounts/login/")
    page.click("text=Sign in with SSO")
    page.wait_for_load_state("networkidle")
    if audit:
        session.audit()
    page.fill("input[name=organization_id]", organization_id)
    page.click("#sso-form button[type=submit]")
    page.wait_for_selector("#provider-sign-in")
    page.fill("input[name=username]", provider_username)
    page.fill("input[name=password]", PROVIDER_PASSWORD)
    page.click("#provider-sign-in")
    page.wait_for_load_state("networkidle")


def test_a_user_signs_in_with_sso_by_organization_id(visit, demo_data, live_provider):
    northwind = Organization.objects.get(public_id="ORG-NW7K2")
    configure_oidc(northwind, live_provider)
    session = visit()
    sign_in_with_sso(session, "org-nw7k2", "alex")
    assert session.page.url.rstrip("/") == session.base_url
    assert "Alex Morgan" in session.page.inner_text("main")
    session.audit()


def test_a_person_of_another_organization_with_the_same_email_is_refused(visit, demo_data, live_provider):
    configure_oidc(Organization.objects.get(public_id="ORG-NW7K2"), live_provider, allow_user_creation=True)
    harbor = User.objects.get(username="nocsm.admin")
    harbor.email = "outsider@contoso.example"  # the provider's "outsider", but in Harbor Logistics
    harbor.save(update_fields=["email"])
    session = visit()
    sign_in_with_sso(session, "ORG-NW7K2", "outsider", audit=False)
    assert "Single sign-on did not sign you in" in session.page.inner_text("main")
    assert "Harbor" not in session.page.inner_text("main")
    session.audit()
    session.goto("/")
    assert "/accounts/login/" in session.page.url


def test_an_unknown_organization_id_is_answered_at_the_field(visit, demo_data):
    session = visit(language="de")
    session.goto("/accounts/sso/")
    session.page.fill("input[name=organization_id]", "ORG-ZZZZZ")
    session.page.click("#sso-form button[type=submit]")
    session.page.wait_for_selector(".error-summary")
    assert session.page.get_attribute("input[name=organization_id]", "aria-invalid") == "true"
    session.audit()


def test_without_javascript_the_forwarding_page_reaches_the_provider(browser, live_server, demo_data, live_provider):
    configure_oidc(Organization.objects.get(public_id="ORG-NW7K2"), live_provider)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/sso/")
        page.fill("input[name=organization_id]", "ORG-NW7K2")
        page.click("#sso-form button[type=submit]")
        page.wait_for_selector("#provider-sign-in")
        assert page.url.startswith(live_provider.url)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_fedramp_and_code_pages_are_accessible(visit, demo_data, width):
    assert OrganizationSignIn.objects.get(organization__public_id="ORG-HB4M9").allow_login_code  # demo data
    session = visit(width=width)
    for path in ("/accounts/login/", "/fedramp/login/", "/fedramp/sso/", "/accounts/login/code/"):
        session.goto(path)
        session.audit()
        overflow = session.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    session.page.fill("input[name=email]", "jordan.blake@harbor.example")
    session.page.click("form.form button[type=submit]")
    session.page.wait_for_load_state("networkidle")
    assert "/accounts/login/code/confirm/" in session.page.url
    session.audit()


def test_a_fedramp_user_accepts_the_notice_when_signing_in_on_the_standard_page(visit, demo_data):
    session = visit()
    session.goto("/accounts/login/")
    session.page.fill("input[name=login]", "fedramp.user")
    session.page.fill("input[name=password]", demo.PASSWORD)
    session.page.click("form.form button[type=submit]")
    session.page.wait_for_load_state("networkidle")
    assert "/accounts/login/notice/" in session.page.url
    assert "U.S. Government information system" in session.page.inner_text("main")
    session.audit()
    session.page.click("button[name=accept]")
    session.page.wait_for_load_state("networkidle")
    assert session.page.url.rstrip("/") == session.base_url
