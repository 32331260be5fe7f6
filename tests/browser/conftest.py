"""Browser tests: Playwright driving the system Chromium against pytest-django's live server.

Every page visited is audited with axe-core (`audit(page)`); the pages keep their real Content
Security Policy, and a CSP violation fails the test too."""

import importlib
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from ..factories import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install -y chromium); browser tests skipped")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_FLAGS)
        yield chromium
        chromium.close()


class BrowserSession:
    def __init__(self, context, base_url):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.csp_violations = []
        self.page.on("console", self._console)
        self.page.set_default_timeout(15_000)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def login(self, username, password=PASSWORD):
        self.goto("/accounts/login/")
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form.form button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        if "/accounts/login/notice/" in self.page.url:
            # FedRAMP users accept the system-use notification as a step of signing in (AUTH-2).
            self.page.click("button[name=accept]")
            self.page.wait_for_load_state("networkidle")

    def audit(self):
        """axe-core on the current page: no violations, and no CSP violation so far."""
        results = Axe().run(self.page)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        assert not self.csp_violations, self.csp_violations


@pytest.fixture
def visit(browser, live_server, transactional_db):
    """`visit(language="en", width=1280)` → a BrowserSession in a fresh browser context."""
    contexts = []

    def open_session(language="en", width=1280):
        context = browser.new_context(
            locale=language, viewport={"width": width, "height": 900},
            extra_http_headers={"Accept-Language": language},
        )
        contexts.append(context)
        return BrowserSession(context, live_server.url)

    yield open_session
    for context in contexts:
        context.close()


class _Quiet:
    def write(self, text):
        pass


def seed_demo(*modules):
    """The hub's demo data, then each named app's (`"billing.demo"`), as `manage.py seed_demo`
    loads them; returns the hub's."""
    seeded = importlib.import_module("hub.demo").seed(_Quiet())
    for module in modules:
        importlib.import_module(module).seed(_Quiet())
    return seeded


@pytest.fixture
def demo_data(transactional_db):
    """The hub's demo personas; a test module that needs an app's demo data overrides this with
    `seed_demo("<app>.demo")`."""
    return seed_demo()
