"""The Community/Academy sync (CON-4): a run walks the eligible users in keyset batches, asks the
adapter about each address and stores what changed. Equal data writes nothing, so a second run
changes nothing; a failed lookup keeps what was stored."""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hub.models import User
from profiles.adapters.connected import ConnectedAccountsError, get_connected_accounts_adapter
from profiles.models import Certification, CommunityProfile, ConnectedAccountsSync

logger = logging.getLogger(__name__)

# A run whose last batch is older than this lost its next message (a broker restart, a killed
# worker); the next start resumes it from its cursor.
STALLED_AFTER = timedelta(hours=1)
_KEEP = object()  # "this system is not configured: leave its stored data alone"


def eligible_users():
    """Users whose connected accounts the hub shows: active customers outside the FedRAMP
    environment with an email address (CON-3). FedRAMP addresses are never sent to the sites."""
    return (
        User.objects.filter(
            is_active=True, deleted_at__isnull=True, organization__isnull=False, organization__is_fedramp=False
        )
        .exclude(email="")
    )


def start_connected_accounts_sync(*, adapter=None) -> ConnectedAccountsSync | None:
    """Begin a run, or take over a stalled one. Returns the run whose next batch is to be
    enqueued, or None when there is nothing to do: no API configured (one log line), or a run is
    still making progress."""
    adapter = adapter or get_connected_accounts_adapter()
    if not (adapter.has_community or adapter.has_academy):
        logger.info("connected accounts sync skipped: neither HUB_COMMUNITY_API_URL nor HUB_ACADEMY_API_URL is set")
        return None
    try:
        with transaction.atomic():
            return ConnectedAccountsSync.objects.create()
    except IntegrityError:
        pass  # a run is already going (one running run at most, by a unique constraint)
    running = ConnectedAccountsSync.objects.filter(is_running=True).first()
    now = timezone.now()
    if running is None or running.progressed_at > now - STALLED_AFTER:
        return None
    claimed = ConnectedAccountsSync.objects.filter(
        pk=running.pk, is_running=True, progressed_at=running.progressed_at
    ).update(progressed_at=now)
    if not claimed:
        return None
    logger.warning("connected accounts sync resumed a stalled run", extra={"run_id": running.pk})
    return running


def sync_connected_accounts_batch(*, run_id: int, adapter=None, batch_size: int | None = None) -> bool:
    """Sync the next batch of users (keyset: user id above the run's cursor). True when another
    batch follows. The batch is claimed by moving the cursor with a conditional update, so a
    duplicated or redelivered task never handles the same users twice in one run."""
    adapter = adapter or get_connected_accounts_adapter()
    batch_size = batch_size or settings.HUB_CONNECTED_SYNC_BATCH_SIZE
    run = ConnectedAccountsSync.objects.filter(pk=run_id, is_running=True).first()
    if run is None:
        return False
    users = list(eligible_users().filter(pk__gt=run.cursor).order_by("pk").only("pk", "email")[:batch_size])
    if not users:
        _finish(run, reason="done")
        return False
    claimed = ConnectedAccountsSync.objects.filter(pk=run.pk, is_running=True, cursor=run.cursor).update(
        cursor=users[-1].pk, progressed_at=timezone.now()
    )
    if not claimed:
        return False
    changed = failed = 0
    for user in users:
        community = certifications = _KEEP
        try:
            if adapter.has_community:
                community = adapter.fetch_community_profile(user.email)
            if adapter.has_academy:
                certifications = adapter.fetch_certifications(user.email)
        except ConnectedAccountsError as exc:
            failed += 1
            logger.warning("connected accounts sync: lookup failed", extra={"user_id": user.pk, "error": str(exc)})
            # What was fetched before the failure is still stored; the rest stays as it was.
        changed += store_connected_accounts(user_id=user.pk, community=community, certifications=certifications)
    ConnectedAccountsSync.objects.filter(pk=run.pk).update(
        users_checked=F("users_checked") + len(users),
        records_changed=F("records_changed") + changed,
        errors=F("errors") + failed,
    )
    if failed == len(users):
        # Every lookup of a whole batch failed: the systems are down. Stop instead of waiting for a
        # timeout per user; the next scheduled run starts again.
        _finish(run, reason="systems unreachable")
        return False
    return True


def _finish(run, *, reason):
    finished = ConnectedAccountsSync.objects.filter(pk=run.pk, is_running=True).update(
        is_running=False, finished_at=timezone.now()
    )
    if finished:
        run.refresh_from_db()
        logger.info(
            "connected accounts sync finished",
            extra={"run_id": run.pk, "reason": reason, "users_checked": run.users_checked,
                   "records_changed": run.records_changed, "errors": run.errors},
        )


def store_connected_accounts(*, user_id: int, community=_KEEP, certifications=_KEEP) -> int:
    """Make one user's stored records equal what the Community and Academy answered (None / [] =
    no account, no certifications). Returns how many records changed; unchanged records are not
    written, so they keep their history clean."""
    if community is _KEEP and certifications is _KEEP:
        return 0
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        if community is not _KEEP:
            changed += _store_community(user_id, community, now)
        if certifications is not _KEEP:
            changed += _store_certifications(user_id, certifications, now)
    return changed


def _store_community(user_id, data, now):
    stored = CommunityProfile.objects.select_for_update().filter(user_id=user_id).first()
    if data is None:
        if stored is None:
            return 0
        stored.delete()
        return 1
    values = asdict(data)
    if stored is None:
        CommunityProfile.objects.create(user_id=user_id, changed_at=now, **values)
        return 1
    return _update_if_changed(stored, values, now)


def _store_certifications(user_id, items, now):
    stored = {cert.external_id: cert for cert in Certification.objects.select_for_update().filter(user_id=user_id)}
    changed = 0
    for item in items:
        values = asdict(item)
        cert = stored.pop(item.external_id, None)
        if cert is None:
            Certification.objects.create(user_id=user_id, changed_at=now, **values)
            changed += 1
        else:
            changed += _update_if_changed(cert, values, now)
    for gone in stored.values():
        gone.delete()
        changed += 1
    return changed


def _update_if_changed(record, values, now):
    fields = [name for name, value in values.items() if getattr(record, name) != value]
    if not fields:
        return 0
    for name in fields:
        setattr(record, name, values[name])
    record.changed_at = now
    record.save(update_fields=[*fields, "changed_at"])
    return 1
