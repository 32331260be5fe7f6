"""Subscription links (PREF-6): signed tokens that name an address record without revealing the
address. A token carries the record's opaque public id and its link version, signed with the
project's secret key (django.core.signing; SECRET_KEY_FALLBACKS keep links valid across a key
rotation). Raising the record's version revokes every token issued before. Tokens do not expire
by time: people unsubscribe from old emails, and mailbox providers require that to keep working.

Reading a token answers None for a forged token, a revoked one and one whose address record no
longer exists alike, so the pages built on them answer the same in all three cases.
"""

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import EmailCategory, Subscriber

MANAGE_SALT = "profiles.preferences.manage"
UNSUBSCRIBE_SALT = "profiles.preferences.unsubscribe"


def _sign(payload, salt):
    return signing.Signer(salt=salt, algorithm="sha256").sign_object(payload, compress=False)


def _unsign(token, salt):
    try:
        return signing.Signer(salt=salt, algorithm="sha256").unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None


def _subscriber(public_id, version):
    try:
        public_id = uuid.UUID(hex=str(public_id))
    except ValueError:
        return None
    return Subscriber.objects.filter(public_id=public_id, token_version=version).first()


def manage_token(subscriber: Subscriber) -> str:
    return _sign([subscriber.public_id.hex, subscriber.token_version], MANAGE_SALT)


def unsubscribe_token(subscriber: Subscriber, category: EmailCategory) -> str:
    return _sign([subscriber.public_id.hex, subscriber.token_version, category.key], UNSUBSCRIBE_SALT)


def read_manage_token(token: str) -> Subscriber | None:
    """The address record a Manage subscriptions token names, or None (forged, revoked, gone)."""
    payload = _unsign(token, MANAGE_SALT)
    if not isinstance(payload, list) or len(payload) != 2:
        return None
    return _subscriber(*payload)


def read_unsubscribe_token(token: str) -> tuple[Subscriber, EmailCategory] | None:
    """The address record and category of a one-click unsubscribe token, or None. Categories that
    cannot be turned off never have such a token."""
    payload = _unsign(token, UNSUBSCRIBE_SALT)
    if not isinstance(payload, list) or len(payload) != 3:
        return None
    public_id, version, key = payload
    category = EmailCategory.objects.filter(key=key, is_active=True, is_always_on=False).first()
    if category is None:
        return None
    subscriber = _subscriber(public_id, version)
    return (subscriber, category) if subscriber is not None else None


def manage_url(subscriber: Subscriber) -> str:
    """Absolute URL of the address's subscription page, for emails."""
    return settings.HUB_PUBLIC_URL + reverse("subscriptions:manage", args=[manage_token(subscriber)])


def unsubscribe_url(subscriber: Subscriber, category: EmailCategory) -> str:
    """Absolute URL of the one-click unsubscribe endpoint (RFC 8058) for one category."""
    return settings.HUB_PUBLIC_URL + reverse(
        "subscriptions:unsubscribe", args=[unsubscribe_token(subscriber, category)]
    )
