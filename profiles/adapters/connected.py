"""The Community and Academy behind one small interface (CON-4).

`fetch_community_profile(email)` and `fetch_certifications(email)` return plain data; the sync
stores it. The default implementation speaks HTTP JSON (the protocol is in the README); another
system plugs in through `HUB_CONNECTED_ACCOUNTS_ADAPTER` with the same two methods. Failures raise
`ConnectedAccountsError`, so the sync keeps what it stored instead of erasing it.
"""

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

STATUSES = ("in_progress", "completed")
_validate_url = URLValidator(schemes=["http", "https"])


class ConnectedAccountsError(Exception):
    """The external system could not answer, or answered something we cannot read."""


@dataclass(frozen=True)
class CommunityProfileData:
    username: str
    rank: str = ""
    member_since: date | None = None
    topics_count: int = 0
    profile_url: str = ""


@dataclass(frozen=True)
class CertificationData:
    external_id: str
    name: str
    status: str
    completed_on: date | None = None
    certificate_url: str = ""


class ConnectedAccountsAdapter(ABC):
    """The interface. `has_community` / `has_academy` say which systems are configured; the sync
    leaves the stored data of an unconfigured system alone."""

    has_community = False
    has_academy = False

    @abstractmethod
    def fetch_community_profile(self, email: str) -> CommunityProfileData | None:
        """The Community account registered with this email address, or None."""

    @abstractmethod
    def fetch_certifications(self, email: str) -> list[CertificationData]:
        """The Academy certifications of the learner with this email address (maybe none)."""


class HttpJsonConnectedAccounts(ConnectedAccountsAdapter):
    """`GET <url>?email=<address>` with an optional bearer token; 200 with JSON, 404 for
    "no such account". Anything else is an error."""

    def __init__(self, *, community_url=None, academy_url=None, community_token=None, academy_token=None,
                 timeout=None):
        self.community_url = settings.HUB_COMMUNITY_API_URL if community_url is None else community_url
        self.academy_url = settings.HUB_ACADEMY_API_URL if academy_url is None else academy_url
        self.community_token = settings.HUB_COMMUNITY_API_TOKEN if community_token is None else community_token
        self.academy_token = settings.HUB_ACADEMY_API_TOKEN if academy_token is None else academy_token
        self.timeout = settings.HUB_CONNECTED_API_TIMEOUT if timeout is None else timeout
        self.has_community = bool(self.community_url)
        self.has_academy = bool(self.academy_url)

    def fetch_community_profile(self, email):
        payload = self._get(self.community_url, self.community_token, email)
        if payload is None:
            return None
        if not isinstance(payload, dict):
            raise ConnectedAccountsError("Community: expected a JSON object")
        username = _text(payload, "username", 150, required=True)
        return CommunityProfileData(
            username=username,
            rank=_text(payload, "rank", 100),
            member_since=_date(payload, "member_since"),
            topics_count=_count(payload, "topics_count"),
            profile_url=_url(payload, "profile_url"),
        )

    def fetch_certifications(self, email):
        payload = self._get(self.academy_url, self.academy_token, email)
        if payload is None:
            return []
        items = payload.get("certifications") if isinstance(payload, dict) else payload
        if not isinstance(items, list):
            raise ConnectedAccountsError("Academy: expected a list of certifications")
        certifications = []
        seen = set()
        for item in items:
            if not isinstance(item, dict):
                raise ConnectedAccountsError("Academy: expected each certification to be an object")
            external_id = str(item.get("id") or "").strip()[:100]
            if not external_id or external_id in seen:
                raise ConnectedAccountsError("Academy: a certification without a unique id")
            seen.add(external_id)
            status = item.get("status")
            if status not in STATUSES:
                raise ConnectedAccountsError(f"Academy: unknown status {status!r}")
            certifications.append(
                CertificationData(
                    external_id=external_id,
                    name=_text(item, "name", 200, required=True),
                    status=status,
                    completed_on=_date(item, "completed_on") if status == "completed" else None,
                    certificate_url=_url(item, "certificate_url") if status == "completed" else "",
                )
            )
        return certifications

    def _get(self, url, token, email):
        if not url:
            raise ConnectedAccountsError("no API URL configured")
        separator = "&" if "?" in url else "?"
        request = Request(
            f"{url}{separator}{urlencode({'email': email})}",
            headers={"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except HTTPError as exc:
            if exc.code == 404:
                return None
            raise ConnectedAccountsError(f"HTTP {exc.code} from {url}") from exc
        except (URLError, TimeoutError, OSError) as exc:
            raise ConnectedAccountsError(f"{url} unreachable: {exc}") from exc
        try:
            return json.loads(body) if body.strip() else None
        except ValueError as exc:
            raise ConnectedAccountsError(f"{url} answered invalid JSON") from exc


def _text(payload, key, max_length, *, required=False):
    value = payload.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str | int | float):
        raise ConnectedAccountsError(f"{key}: expected text")
    value = str(value).strip()
    if required and not value:
        raise ConnectedAccountsError(f"{key}: missing")
    return value[:max_length]


def _date(payload, key):
    value = payload.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ConnectedAccountsError(f"{key}: expected an ISO date") from exc


def _count(payload, key):
    value = payload.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConnectedAccountsError(f"{key}: expected a non-negative integer")
    return value


def _url(payload, key):
    """Links are shown to users: only http(s), anything else is dropped rather than rendered."""
    value = payload.get(key)
    if not value or not isinstance(value, str) or len(value) > 500:
        return ""
    try:
        _validate_url(value)
    except ValidationError:
        logger.warning("connected accounts: ignored an invalid link", extra={"field": key})
        return ""
    return value


def get_connected_accounts_adapter() -> ConnectedAccountsAdapter:
    """The configured adapter (`HUB_CONNECTED_ACCOUNTS_ADAPTER`)."""
    return import_string(settings.HUB_CONNECTED_ACCOUNTS_ADAPTER)()
