"""Writes for email preferences. Every change of a choice, wherever it comes from, goes through
`update_email_preferences` (or, for the mailing system's changes, `profiles.preferences.sync`),
which in one transaction stores the choice (with its history row), appends to the consent ledger
and queues the change for the mailing system (PREF-1, PREF-3, PREF-5, PREF-7)."""

import logging
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..access import can_manage_email_preferences
from ..models import ConsentEvent, EmailCategory, EmailPreference, PreferenceChange, Subscriber
from .selectors import address_is_brand_admin, normalize_email

logger = logging.getLogger(__name__)

Source = ConsentEvent.Source


class PreferenceChangeRefused(PermissionDenied):
    """A change nobody may make: turning off an always-on category (PREF-3), or choosing a
    category the address does not see."""

    def __init__(self, category_key: str, reason: str):
        super().__init__(f"{category_key}: {reason}")
        self.category_key = category_key
        self.reason = reason


def get_or_create_subscriber(*, email: str, language: str = "") -> Subscriber:
    """The address's record, created on first use. Remembers the language of the latest email
    sent to it, so its subscription page speaks that language."""
    email = normalize_email(email)
    subscriber, created = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    if language and not created and subscriber.language != language:
        Subscriber.objects.filter(pk=subscriber.pk).update(language=language)
        subscriber.language = language
    return subscriber


def _audience_sees_brand_admin_categories(*, actor, email: str, source: str) -> bool:
    """Who is asking decides which categories may be chosen; services re-check what views check."""
    if source == Source.HUB:
        if actor is None or not can_manage_email_preferences(actor) or normalize_email(actor.email) != email:
            raise PermissionDenied("Customers change the preferences of their own account's address only.")
        return actor.is_brand_admin
    if source == Source.STAFF:
        if actor is None or not actor.is_staff:
            raise PermissionDenied("Only staff change preferences on a customer's behalf.")
        return True
    if source in (Source.EMAIL_LINK, Source.ONE_CLICK):
        return address_is_brand_admin(email)
    raise ValueError(f"Changes from {source!r} are applied by the sync, not by this service.")


def _actor_label(actor) -> str:
    return actor.get_username() if actor is not None else ""


def update_email_preferences(
    *, actor, email: str, choices: Mapping[str, bool], source: str
) -> list[ConsentEvent]:
    """Set an address's choices (`{category key: subscribed}`) from the hub (the signed-in user's
    own address), a subscription link or a one-click unsubscribe (the address in the link), or
    staff. Refuses (`PreferenceChangeRefused`) to turn off an always-on category or to choose a
    category the address does not see. Only real changes are written: a ledger entry, the new
    choice with its history row, and a pending change for the mailing system that supersedes an
    unsent one. The address's row is locked, so two saves for one address apply one after the
    other. Returns the ledger entries written."""
    email = normalize_email(email)
    sees_brand_admin = _audience_sees_brand_admin_categories(actor=actor, email=email, source=source)
    categories = {category.key: category for category in EmailCategory.objects.filter(key__in=list(choices))}
    for key, value in choices.items():
        category = categories.get(key)
        if category is None or not category.is_active:
            raise PreferenceChangeRefused(key, "unknown category")
        if category.is_for_brand_admins_only and not sees_brand_admin:
            raise PreferenceChangeRefused(key, "not available to this address")
        if category.is_always_on and not value:
            raise PreferenceChangeRefused(key, "always on")
    now = timezone.now()
    with transaction.atomic():
        subscriber = get_or_create_subscriber(email=email)
        Subscriber.objects.select_for_update().filter(pk=subscriber.pk).get()
        existing = {
            preference.category_id: preference
            for preference in EmailPreference.objects.filter(
                subscriber=subscriber, category__in=list(categories.values())
            )
        }
        actor_user = actor if actor is not None and actor.pk else None
        events, created, updated = [], [], []
        for key, value in choices.items():
            category = categories[key]
            if category.is_always_on:
                continue
            preference = existing.get(category.pk)
            current = preference.is_subscribed if preference else category.is_subscribed_by_default
            if current == bool(value):
                continue
            events.append(
                ConsentEvent(
                    subscriber=subscriber, category=category,
                    old_value=preference.is_subscribed if preference else None, new_value=bool(value),
                    source=source, actor=actor_user, actor_label=_actor_label(actor), occurred_at=now,
                )
            )
            if preference is None:
                created.append(EmailPreference(
                    subscriber=subscriber, category=category, is_subscribed=bool(value), changed_at=now
                ))
            else:
                preference.is_subscribed, preference.changed_at = bool(value), now
                updated.append(preference)
        if not events:
            return []
        # In bulk, with their history rows: a save costs the same few queries for 1 or 20 changes.
        reason = f"email preferences: {source}"
        if created:
            created = bulk_create_with_history(created, EmailPreference, default_user=actor_user,
                                               default_change_reason=reason)
        if updated:
            bulk_update_with_history(updated, EmailPreference, ["is_subscribed", "changed_at"],
                                     default_user=actor_user, default_change_reason=reason)
        changed = [*created, *updated]
        ConsentEvent.objects.bulk_create(events)
        PreferenceChange.objects.filter(preference__in=changed, status=PreferenceChange.Status.PENDING).update(
            status=PreferenceChange.Status.SUPERSEDED
        )
        PreferenceChange.objects.bulk_create(
            PreferenceChange(preference=preference, is_subscribed=preference.is_subscribed, changed_at=now)
            for preference in changed
        )
    logger.info(
        "email preferences changed",
        extra={"subscriber": str(subscriber.public_id), "source": source, "changes": len(events)},
    )
    return events


def revoke_subscription_links(*, actor, subscriber: Subscriber) -> None:
    """Invalidate every Manage subscriptions and unsubscribe link sent to the address so far
    (PREF-6); the next email carries a fresh one."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied("Only staff revoke subscription links.")
    Subscriber.objects.filter(pk=subscriber.pk).update(token_version=F("token_version") + 1)
    logger.info("subscription links revoked", extra={"subscriber": str(subscriber.public_id), "by": actor.pk})


def retry_failed_changes(*, actor, change_ids) -> int:
    """Staff: send changes the mailing system rejected again. A change whose preference has a
    newer change is superseded instead (at most one change per preference waits, and an outdated
    choice is never sent).
    Returns how many were queued again."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied("Only staff retry changes.")
    queued = 0
    with transaction.atomic():
        failed = list(
            PreferenceChange.objects.select_for_update(of=("self",))
            .select_related("preference")
            .filter(pk__in=list(change_ids), status=PreferenceChange.Status.FAILED)
            .order_by("pk")
        )
        waiting = set(
            PreferenceChange.objects.filter(
                preference__in=[change.preference_id for change in failed], status=PreferenceChange.Status.PENDING
            ).values_list("preference_id", flat=True)
        )
        for change in failed:
            if change.preference_id in waiting or change.changed_at < change.preference.changed_at:
                change.status = PreferenceChange.Status.SUPERSEDED
            else:
                change.status = PreferenceChange.Status.PENDING
                waiting.add(change.preference_id)
                queued += 1
            change.save(update_fields=["status"])
    return queued
