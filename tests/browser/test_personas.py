"""Every demo persona signs in and opens home and profile; axe finds nothing, in English and German."""

import pytest

from hub import demo

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", list(demo.PERSONAS) + ["support.agent"])
def test_persona_opens_home_and_profile_without_accessibility_violations(visit, demo_data, username):
    session = visit()
    session.goto("/accounts/login/")
    session.audit()
    session.login(username, demo.PASSWORD)
    assert session.page.url.rstrip("/") == session.base_url
    first, last = (demo.PERSONAS.get(username) or demo.STAFF[username])[:2]
    assert f"{first} {last}" in session.page.inner_text("main")
    session.audit()
    session.page.click("text=See more details")
    assert session.page.url.endswith("/profile/")
    session.audit()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [1280, 360])
def test_login_home_and_profile_are_accessible_in_english_and_german(visit, demo_data, language, width):
    session = visit(language=language, width=width)
    session.goto("/accounts/login/")
    assert session.page.get_attribute("html", "lang") == language
    session.audit()
    session.login("brand.admin", demo.PASSWORD)
    for path in ("/", "/profile/", "/accounts/2fa/"):
        session.goto(path)
        assert session.page.get_attribute("html", "lang") == language
        session.audit()
    overflow = session.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"


def test_user_menu_works_by_keyboard_and_signs_out(visit, demo_data):
    session = visit()
    session.login("standard.user", demo.PASSWORD)
    page = session.page
    page.focus("summary.user-menu__toggle")
    page.keyboard.press("Enter")
    assert page.is_visible("text=Sign out")
    session.audit()
    page.click("text=Sign out")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
