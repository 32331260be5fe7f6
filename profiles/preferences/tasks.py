"""Celery tasks for the mailing-system sync (PREF-7), scheduled in `CELERY_BEAT_SCHEDULE`. Thin:
each calls one service. A run that fails leaves its changes pending in the outbox table, so the
tasks are not retried by Celery: the next scheduled run is the retry."""

from celery import shared_task

from ..models import MailingSyncRun
from . import sync


@shared_task(name="profiles.preferences.sync_email_preferences")
def sync_email_preferences(kind=MailingSyncRun.Kind.DAILY):
    """Every 24 hours (and on staff request): pull remote changes, push everything pending."""
    run = sync.run_mailing_sync(kind=kind)
    return run.status if run is not None else None


@shared_task(name="profiles.preferences.relay_email_opt_outs")
def relay_email_opt_outs():
    """Every few minutes: push pending opt-outs only."""
    run = sync.run_mailing_sync(kind=MailingSyncRun.Kind.OPT_OUTS)
    return run.status if run is not None else None
