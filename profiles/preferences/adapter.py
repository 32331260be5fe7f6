"""The mailing system behind a small interface (PREF-7), chosen by `HUB_MAILING_SYSTEM_ADAPTER`.

The default, `HttpJsonMailingSystem`, speaks JSON over HTTPS (the protocol is in the README):

    POST {url}/preference-changes      {"changes": [{idempotency_key, email, list, subscribed, changed_at}]}
      → 200 {"results": [{"idempotency_key": …, "status": "accepted" | "duplicate" | "rejected", "error": …}]}
    GET  {url}/preference-changes?since={cursor}&limit={n}
      → 200 {"changes": [{email, list, subscribed, changed_at}], "cursor": …, "has_more": bool}

Every request is signed: `X-Hub-Timestamp` (Unix seconds) and
`X-Hub-Signature: v1=<hex HMAC-SHA256(secret, "{timestamp}.{METHOD}.{path?query}.{body}")>`.
Connection errors, timeouts, 429 and 5xx answers are retried with exponential backoff and jitter
(honouring Retry-After), then reported as `MailingSystemUnavailable`: the caller keeps the changes
pending for the next run. Other answers are `MailingSystemError` (a configuration problem).
"""

import hashlib
import hmac
import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib import error, parse, request

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class MailingSystemError(Exception):
    """The mailing system refused the request or answered nonsense; retrying will not help."""


class MailingSystemUnavailable(MailingSystemError):
    """The mailing system could not be reached or failed; a later run will try again."""


@dataclass(frozen=True)
class OutgoingChange:
    idempotency_key: str
    email: str
    list_key: str
    subscribed: bool
    changed_at: datetime

    def as_json(self):
        return {
            "idempotency_key": self.idempotency_key,
            "email": self.email,
            "list": self.list_key,
            "subscribed": self.subscribed,
            "changed_at": self.changed_at.isoformat(),
        }


@dataclass
class PushResult:
    """Keys the mailing system acknowledged (applied now or earlier) and keys it rejected, with
    its reason. A key in neither was not acknowledged and stays pending."""

    acknowledged: set[str] = field(default_factory=set)
    rejected: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteChange:
    email: str
    list_key: str
    subscribed: bool
    changed_at: datetime


@dataclass
class PullPage:
    changes: list[RemoteChange]
    cursor: str
    has_more: bool


class HttpJsonMailingSystem:
    """The default adapter: JSON over HTTPS with an HMAC signature, batches, retries."""

    def __init__(self, *, url: str, secret: str, timeout: float = 10.0, max_attempts: int = 4,
                 backoff: float = 1.0, backoff_max: float = 30.0, sleep=time.sleep):
        self.url = url.rstrip("/")
        self.secret = secret.encode()
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.sleep = sleep

    @classmethod
    def from_settings(cls):
        return cls(
            url=settings.HUB_MAILING_SYSTEM_URL,
            secret=settings.HUB_MAILING_SYSTEM_SECRET,
            timeout=settings.HUB_MAILING_SYSTEM_TIMEOUT,
            max_attempts=settings.HUB_MAILING_SYSTEM_MAX_ATTEMPTS,
            backoff=settings.HUB_MAILING_SYSTEM_BACKOFF,
        )

    @property
    def is_configured(self) -> bool:
        return bool(self.url)

    @property
    def name(self) -> str:
        return parse.urlsplit(self.url).netloc or "mailing system"

    # --- the interface -----------------------------------------------------------------
    def push_changes(self, changes: list[OutgoingChange]) -> PushResult:
        answer = self._call("POST", "/preference-changes", body={"changes": [c.as_json() for c in changes]})
        result = PushResult()
        sent = {change.idempotency_key for change in changes}
        for item in _list(answer, "results"):
            key = str(item.get("idempotency_key", ""))
            if key not in sent:
                continue
            status = item.get("status")
            if status in ("accepted", "duplicate"):
                result.acknowledged.add(key)
            elif status == "rejected":
                result.rejected[key] = str(item.get("error") or "rejected")[:1000]
        return result

    def pull_changes(self, *, cursor: str, limit: int) -> PullPage:
        answer = self._call("GET", "/preference-changes", query={"since": cursor, "limit": limit})
        changes = []
        for item in _list(answer, "changes"):
            changed_at = parse_datetime(str(item.get("changed_at", "")))
            if changed_at is None or changed_at.tzinfo is None or not item.get("email") or not item.get("list"):
                logger.warning("mailing system: skipped a malformed remote change")
                continue
            changes.append(RemoteChange(email=str(item["email"]), list_key=str(item["list"]),
                                        subscribed=bool(item.get("subscribed")), changed_at=changed_at))
        return PullPage(changes=changes, cursor=str(answer.get("cursor") or cursor),
                        has_more=bool(answer.get("has_more")))

    # --- HTTP ----------------------------------------------------------------------------
    def sign(self, timestamp: str, method: str, target: str, body: bytes) -> str:
        message = b".".join([timestamp.encode(), method.encode(), target.encode(), body])
        return "v1=" + hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def _call(self, method, path, *, query=None, body=None) -> dict:
        base = parse.urlsplit(self.url)
        target = base.path.rstrip("/") + path + (f"?{parse.urlencode(query)}" if query else "")
        data = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        last_problem = ""
        for attempt in range(1, self.max_attempts + 1):
            timestamp = str(int(time.time()))
            req = request.Request(
                f"{base.scheme}://{base.netloc}{target}", data=data if body is not None else None, method=method,
                headers={
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "User-Agent": "customer-success-hub",
                    "X-Hub-Timestamp": timestamp,
                    "X-Hub-Signature": self.sign(timestamp, method, target, data),
                },
            )
            retry_after = None
            try:
                with request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310 (URL from settings)
                    return _json(response.read())
            except error.HTTPError as exc:
                last_problem = f"HTTP {exc.code} from {method} {path}"
                if exc.code != 429 and exc.code < 500:
                    raise MailingSystemError(last_problem) from exc
                retry_after = _seconds(exc.headers.get("Retry-After"))
            except (error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last_problem = f"{method} {path}: {getattr(exc, 'reason', exc)}"
            if attempt < self.max_attempts:
                delay = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
                delay = min(self.backoff_max, retry_after) if retry_after is not None else random.uniform(delay / 2, delay)
                logger.info("mailing system: retrying", extra={"attempt": attempt, "problem": last_problem})
                self.sleep(delay)
        raise MailingSystemUnavailable(f"{last_problem} (after {self.max_attempts} attempts)")


def _json(raw: bytes) -> dict:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise MailingSystemError("The mailing system answered with invalid JSON.") from exc
    if not isinstance(answer, dict):
        raise MailingSystemError("The mailing system answered with unexpected JSON.")
    return answer


def _list(answer: dict, key: str) -> list[dict]:
    items = answer.get(key) or []
    if not isinstance(items, list):
        raise MailingSystemError(f"The mailing system's {key!r} is not a list.")
    return [item for item in items if isinstance(item, dict)]


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def get_mailing_system():
    """The adapter named by `HUB_MAILING_SYSTEM_ADAPTER`, built from settings."""
    return import_string(settings.HUB_MAILING_SYSTEM_ADAPTER).from_settings()
