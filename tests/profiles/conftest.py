"""Local stand-ins for the external systems, speaking the HTTP JSON protocols of the README: a
Community + Academy (CON-4) and a mailing system (PREF-7). Tests run the real adapters against
them, never a mock. Plus the email categories the data migration seeds."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from profiles.preferences.demo import ensure_default_categories

from .mailing_system import FakeMailingSystem


class FakeSites:
    """`community[email] = {...}` and `academy[email] = [...]` are the answers; other addresses
    get 404. Addresses in `failing` get a 500. `requests` lists (path, email, authorization)."""

    def __init__(self):
        self.community = {}
        self.academy = {}
        self.failing = set()
        self.requests = []
        self.lock = threading.Lock()

    def answer(self, path, email):
        if email in self.failing:
            return 500, {"error": "boom"}
        if path == "/community/members":
            return (200, self.community[email]) if email in self.community else (404, {"error": "not found"})
        if path == "/academy/certifications":
            return (200, {"certifications": self.academy[email]}) if email in self.academy else (404, {})
        return 404, {}

    def emails_asked(self, path=None):
        with self.lock:
            return [email for (p, email, _auth) in self.requests if path is None or p == path]


def _handler_for(sites):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            email = parse_qs(parts.query).get("email", [""])[0]
            with sites.lock:
                sites.requests.append((parts.path, email, self.headers.get("Authorization")))
            status, payload = sites.answer(parts.path, email)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def fake_sites(settings):
    """Starts the server and points HUB_COMMUNITY_API_URL / HUB_ACADEMY_API_URL at it."""
    sites = FakeSites()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(sites))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sites.base_url = base
    settings.HUB_COMMUNITY_API_URL = f"{base}/community/members"
    settings.HUB_ACADEMY_API_URL = f"{base}/academy/certifications"
    settings.HUB_COMMUNITY_API_TOKEN = "community-secret"
    settings.HUB_ACADEMY_API_TOKEN = "academy-secret"
    settings.HUB_CONNECTED_API_TIMEOUT = 5
    try:
        yield sites
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def email_categories(db):
    """The categories the data migration seeds (a transactional test elsewhere may have flushed
    them): Personalized learning, News & updates, Customer events, Operational updates."""
    from profiles.models import EmailCategory

    ensure_default_categories()
    return {category.key: category for category in EmailCategory.objects.all()}


@pytest.fixture
def mailing_system(settings):
    """A local HTTP server standing in for the mailing system, configured as the hub's."""
    system = FakeMailingSystem().start()
    settings.HUB_MAILING_SYSTEM_URL = system.url
    settings.HUB_MAILING_SYSTEM_SECRET = system.secret
    settings.HUB_MAILING_SYSTEM_BACKOFF = 0.01
    settings.HUB_MAILING_SYSTEM_MAX_ATTEMPTS = 3
    settings.HUB_MAILING_SYSTEM_TIMEOUT = 5
    yield system
    system.stop()
