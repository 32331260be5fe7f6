"""The sync with the mailing system (PREF-7).

A run pulls the changes made in the mailing system since the stored watermark (the later change
wins), then pushes the outbox: pending changes in keyset-ordered batches, each marked sent only
once the mailing system acknowledged its idempotency key. A failure leaves the rest pending for
the next run, and a change the mailing system already applied is acknowledged again as a
duplicate, so nothing is lost and nothing applies twice. Every read starts from the pending
changes or the remote page, so a run costs what is due, not what is stored.

Runs are serialized by a PostgreSQL advisory lock: the daily run and the frequent opt-out relay
never send the same change at the same time, whatever the number of workers.
"""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import (
    ConsentEvent,
    EmailCategory,
    EmailPreference,
    MailingSyncRun,
    MailingSyncState,
    PreferenceChange,
    Subscriber,
)
from .adapter import (
    MailingSystemError,
    MailingSystemUnavailable,
    OutgoingChange,
    RemoteChange,
    get_mailing_system,
)
from .selectors import normalize_email, pending_change_count

logger = logging.getLogger(__name__)

LOCK_ID = 0x48554250  # any constant shared by every process running the sync
STATE_NAME = "mailing_system"
MAX_PULL_PAGES = 1000  # a bounded run; the watermark lets the next run continue


LOCK_WAIT_SECONDS = 600  # how long a daily or staff-started run waits for a relay to finish


@contextmanager
def _exclusive_run(*, wait: float):
    """Hold the sync's advisory lock, waiting up to `wait` seconds for another run to end."""
    deadline = time.monotonic() + wait
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            acquired = cursor.fetchone()[0]
        if acquired or time.monotonic() >= deadline:
            break
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def run_mailing_sync(*, kind: str, adapter=None) -> MailingSyncRun | None:
    """One run: `daily` and `manual` pull then push everything pending; `opt_outs` pushes only
    pending opt-outs (mailbox providers want unsubscribes honoured within two days, so they do
    not wait for the daily run). Runs are recorded for staff; an opt-out relay that found nothing
    to do is not. Without a configured mailing system a run records that, once, and changes stay
    pending."""
    adapter = adapter or get_mailing_system()
    run = MailingSyncRun(kind=kind, status=MailingSyncRun.Status.OK, started_at=timezone.now())
    relay = kind == MailingSyncRun.Kind.OPT_OUTS
    if not adapter.is_configured:
        if relay:
            return None
        run.status = MailingSyncRun.Status.NOT_CONFIGURED
        logger.info("email preferences: no mailing system configured (HUB_MAILING_SYSTEM_URL); changes stay pending")
    else:
        # The relay yields to a running sync (it runs again in minutes); the daily run waits for
        # a relay to finish rather than lose its day.
        with _exclusive_run(wait=0 if relay else LOCK_WAIT_SECONDS) as acquired:
            if not acquired:
                if relay:
                    return None
                run.status = MailingSyncRun.Status.SKIPPED
            else:
                # Pull and push fail independently: pending opt-outs still go out when only
                # reading the mailing system's changes fails.
                steps = [_push] if relay else [_pull, _push]
                errors = []
                for step in steps:
                    try:
                        step(adapter, run, opt_outs_only=relay)
                    except MailingSystemError as exc:
                        errors.append(str(exc))
                        level = logging.WARNING if isinstance(exc, MailingSystemUnavailable) else logging.ERROR
                        logger.log(level, "email preferences: sync with the mailing system failed",
                                   extra={"kind": kind, "step": step.__name__.strip("_"), "error": str(exc)})
                if errors:
                    run.status = MailingSyncRun.Status.FAILED
                    run.error = "\n".join(errors)[:2000]
    run.pending_after = pending_change_count()
    run.finished_at = timezone.now()
    if not relay or run.pushed or run.rejected or run.status != MailingSyncRun.Status.OK:
        run.save()
    logger.info("email preferences: sync run", extra={
        "kind": kind, "status": run.status, "pushed": run.pushed, "rejected": run.rejected,
        "pulled": run.pulled, "applied": run.applied, "pending": run.pending_after,
    })
    return run


# --- push ------------------------------------------------------------------------------------

def _push(adapter, run, *, opt_outs_only):
    batch_size = settings.HUB_MAILING_SYSTEM_BATCH_SIZE
    last_pk = 0
    while True:
        pending = PreferenceChange.objects.filter(status=PreferenceChange.Status.PENDING, pk__gt=last_pk)
        if opt_outs_only:
            pending = pending.filter(is_subscribed=False)
        batch = list(
            pending.order_by("pk").values(
                "pk", "idempotency_key", "preference_id", "is_subscribed", "changed_at",
                "preference__subscriber__email", "preference__category__key",
            )[:batch_size]
        )
        if not batch:
            return
        last_pk = batch[-1]["pk"]
        _push_batch(adapter, run, batch)


def _push_batch(adapter, run, batch):
    outgoing = [
        OutgoingChange(
            idempotency_key=str(row["idempotency_key"]), email=row["preference__subscriber__email"],
            list_key=row["preference__category__key"], subscribed=row["is_subscribed"], changed_at=row["changed_at"],
        )
        for row in batch
    ]
    pks = [row["pk"] for row in batch]
    try:
        result = adapter.push_changes(outgoing)
    except MailingSystemError as exc:
        PreferenceChange.objects.filter(pk__in=pks).update(
            attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=str(exc)[:2000]
        )
        raise
    now = timezone.now()
    by_key = {str(row["idempotency_key"]): row for row in batch}
    acknowledged = [by_key[key] for key in result.acknowledged if key in by_key]
    rejected = {key: reason for key, reason in result.rejected.items() if key in by_key}
    answered = {row["pk"] for row in acknowledged} | {by_key[key]["pk"] for key in rejected}
    unanswered = [pk for pk in pks if pk not in answered]
    with transaction.atomic():
        # Marked sent whatever happened to them meanwhile: a change superseded while in flight
        # was still delivered, and the admin should say so.
        PreferenceChange.objects.filter(pk__in=[row["pk"] for row in acknowledged]).update(
            status=PreferenceChange.Status.SENT, sent_at=now, last_attempt_at=now,
            attempts=F("attempts") + 1, last_error="",
        )
        EmailPreference.objects.filter(pk__in=[row["preference_id"] for row in acknowledged]).update(
            last_synced_at=now
        )
        for key, reason in rejected.items():
            PreferenceChange.objects.filter(pk=by_key[key]["pk"]).update(
                status=PreferenceChange.Status.FAILED, last_attempt_at=now,
                attempts=F("attempts") + 1, last_error=reason,
            )
        if unanswered:
            PreferenceChange.objects.filter(pk__in=unanswered).update(
                attempts=F("attempts") + 1, last_attempt_at=now,
                last_error="The mailing system did not acknowledge this change.",
            )
    run.pushed += len(acknowledged)
    run.rejected += len(rejected)
    if rejected:
        logger.warning("email preferences: the mailing system rejected changes", extra={"count": len(rejected)})


# --- pull ------------------------------------------------------------------------------------

def _pull(adapter, run, **_options):
    state, _created = MailingSyncState.objects.get_or_create(name=STATE_NAME)
    cursor = state.pull_cursor
    for _page in range(MAX_PULL_PAGES):
        page = adapter.pull_changes(cursor=cursor, limit=settings.HUB_MAILING_SYSTEM_BATCH_SIZE)
        run.pulled += len(page.changes)
        with transaction.atomic():
            run.applied += apply_remote_changes(page.changes, actor_label=adapter.name)
            # The watermark moves in the same transaction as the changes it covers.
            MailingSyncState.objects.filter(pk=state.pk).update(pull_cursor=page.cursor, pulled_at=timezone.now())
        cursor = page.cursor
        if not page.has_more or not page.changes:
            return


@transaction.atomic
def apply_remote_changes(changes: list[RemoteChange], *, actor_label: str = "") -> int:
    """Apply changes made in the mailing system: for each address and category the later change
    wins, so a remote change older than the hub's choice is ignored, and a newer one replaces it
    and supersedes the hub's unsent change. Applied changes enter the consent ledger (source
    "sync") and are not sent back. Always-on and unknown categories are left alone. Returns how
    many changes were applied. A handful of queries per call, whatever the table sizes."""
    categories = {category.key: category for category in EmailCategory.objects.all()}
    usable = []
    for change in changes:
        category = categories.get(change.list_key)
        email = normalize_email(change.email)
        if category is None or category.is_always_on or not _is_valid_email(email):
            continue
        usable.append((email, category, change))
    if not usable:
        return 0
    emails = sorted({email for email, _category, _change in usable})
    Subscriber.objects.bulk_create([Subscriber(email=email) for email in emails], ignore_conflicts=True)
    subscribers = {
        subscriber.email: subscriber
        for subscriber in Subscriber.objects.select_for_update().filter(email__in=emails).order_by("pk")
    }
    preferences = {
        (preference.subscriber_id, preference.category_id): preference
        for preference in EmailPreference.objects.filter(subscriber__in=list(subscribers.values()))
    }
    now = timezone.now()
    created, updated, events = {}, {}, []
    for email, category, change in sorted(usable, key=lambda item: item[2].changed_at):
        subscriber = subscribers[email]
        key = (subscriber.pk, category.pk)
        preference = preferences.get(key)
        if preference is not None and change.changed_at <= preference.changed_at:
            continue
        current = preference.is_subscribed if preference is not None else category.is_subscribed_by_default
        if change.subscribed == current:
            continue
        events.append(ConsentEvent(
            subscriber=subscriber, category=category,
            old_value=preference.is_subscribed if preference is not None else None, new_value=change.subscribed,
            source=ConsentEvent.Source.SYNC, actor_label=actor_label[:200], occurred_at=change.changed_at,
        ))
        if preference is None:
            preference = EmailPreference(subscriber=subscriber, category=category)
            preferences[key] = created[key] = preference
        elif key not in created:
            updated[key] = preference
        preference.is_subscribed = change.subscribed
        preference.changed_at = change.changed_at
        preference.last_synced_at = now
    if created:
        bulk_create_with_history(list(created.values()), EmailPreference, default_change_reason="mailing system")
    if updated:
        bulk_update_with_history(list(updated.values()), EmailPreference,
                                 ["is_subscribed", "changed_at", "last_synced_at"],
                                 default_change_reason="mailing system")
        PreferenceChange.objects.filter(
            preference__in=list(updated.values()), status=PreferenceChange.Status.PENDING
        ).update(status=PreferenceChange.Status.SUPERSEDED)
    ConsentEvent.objects.bulk_create(events)
    return len(events)


def _is_valid_email(email):
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= 254


def request_mailing_sync(*, actor) -> None:
    """Staff: run the full sync now (after the current transaction commits)."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied("Only staff start the sync.")
    from .tasks import sync_email_preferences

    sync_email_preferences.delay_on_commit(kind=MailingSyncRun.Kind.MANUAL)
    logger.info("email preferences: sync requested by staff", extra={"by": actor.pk})
