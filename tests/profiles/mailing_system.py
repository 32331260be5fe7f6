"""A stand-in for the mailing system (PREF-7): a real HTTP server in a thread that speaks the
adapter's protocol, checks every request's HMAC signature, applies each change once per
idempotency key, and serves a feed of changes made on its side. Tests and the benchmark point
`HUB_MAILING_SYSTEM_URL` at it."""

import hashlib
import hmac
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeMailingSystem:
    def __init__(self, secret="test-mailing-secret"):
        self.secret = secret
        self.lock = threading.Lock()
        self.applied = {}  # idempotency key → change, once
        self.received = []  # every change in every request answered 200, duplicates included
        self.requests = []  # (method, path) of every request
        self.feed = []  # changes made in the mailing system, served by GET
        self.fail_with = None  # an HTTP status to answer every request with
        self.retry_after = None  # a Retry-After header for those answers
        self.reject_emails = set()
        self.bad_signatures = 0
        self.server = None

    # --- test helpers ----------------------------------------------------------------------
    def add_remote_change(self, *, email, list_key, subscribed, changed_at: datetime):
        with self.lock:
            self.feed.append({"email": email, "list": list_key, "subscribed": subscribed,
                              "changed_at": changed_at.isoformat()})

    def applied_keys(self):
        with self.lock:
            return set(self.applied)

    def state_of(self, email, list_key):
        """The mailing system's view: the latest applied change for the address and list."""
        with self.lock:
            changes = [c for c in self.applied.values() if c["email"] == email and c["list"] == list_key]
        return max(changes, key=lambda c: c["changed_at"])["subscribed"] if changes else None

    # --- server ----------------------------------------------------------------------------
    def start(self):
        system = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, payload, headers=()):
                body = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _verified(self, body):
                timestamp = self.headers.get("X-Hub-Timestamp", "")
                message = b".".join([timestamp.encode(), self.command.encode(), self.path.encode(), body])
                expected = "v1=" + hmac.new(system.secret.encode(), message, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Hub-Signature", "")):
                    with system.lock:
                        system.bad_signatures += 1
                    self._answer(401, {"error": "bad signature"})
                    return False
                return True

            def _failing(self):
                with system.lock:
                    system.requests.append((self.command, urlsplit(self.path).path))
                    status, retry_after = system.fail_with, system.retry_after
                if status:
                    headers = [("Retry-After", str(retry_after))] if retry_after is not None else []
                    self._answer(status, {"error": "unavailable"}, headers)
                    return True
                return False

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self._failing() or not self._verified(body):
                    return
                results = []
                with system.lock:
                    for change in json.loads(body)["changes"]:
                        system.received.append(change)
                        key = change["idempotency_key"]
                        if key in system.applied:
                            results.append({"idempotency_key": key, "status": "duplicate"})
                        elif change["email"] in system.reject_emails:
                            results.append({"idempotency_key": key, "status": "rejected",
                                            "error": "address is on the suppression list"})
                        else:
                            system.applied[key] = change
                            results.append({"idempotency_key": key, "status": "accepted"})
                self._answer(200, {"results": results})

            def do_GET(self):
                if self._failing() or not self._verified(b""):
                    return
                query = parse_qs(urlsplit(self.path).query)
                since = int((query.get("since") or ["0"])[0] or 0)
                limit = int((query.get("limit") or ["100"])[0])
                with system.lock:
                    page = system.feed[since:since + limit]
                    total = len(system.feed)
                cursor = since + len(page)
                self._answer(200, {"changes": page, "cursor": str(cursor), "has_more": cursor < total})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
