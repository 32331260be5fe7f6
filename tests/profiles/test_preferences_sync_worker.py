"""PREF-7 end to end: the beat tasks run on a real Celery worker (real Redis broker, committed
data) against a local HTTP server standing in for the mailing system."""

from datetime import timedelta

import pytest
from django.utils import timezone

from profiles.models import EmailPreference, MailingSyncRun, PreferenceChange
from profiles.preferences.services import update_email_preferences
from profiles.preferences.tasks import relay_email_opt_outs, sync_email_preferences
from tests.conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.usefixtures("email_categories")]


def _runs():
    return MailingSyncRun.objects.count()


def _run_on_the_worker(task):
    before = _runs()
    task.delay()
    assert wait_for(lambda: _runs() == before + 1, timeout=30), "the worker did not record a run"
    return MailingSyncRun.objects.order_by("-pk").first()


def test_the_sync_task_on_a_real_worker_delivers_once_survives_failure_and_pulls_back(
    celery_worker, cast, mailing_system
):
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email, source="hub",
                             choices={"news_and_updates": False, "customer_events": False})
    update_email_preferences(actor=cast.brand_admin, email=cast.brand_admin.email, source="hub",
                             choices={"personalized_learning": False})

    # pending changes arrive once
    run = _run_on_the_worker(sync_email_preferences)
    assert (run.status, run.pushed, run.pending_after) == ("ok", 3, 0)
    assert len(mailing_system.received) == len(mailing_system.applied_keys()) == 3

    # a second run sends nothing
    run = _run_on_the_worker(sync_email_preferences)
    assert (run.status, run.pushed) == ("ok", 0)
    assert len(mailing_system.received) == 3

    # a run while the mailing system answers 500 sends nothing and loses nothing
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email, source="hub",
                             choices={"news_and_updates": True, "personalized_learning": False})
    mailing_system.fail_with = 500
    run = _run_on_the_worker(sync_email_preferences)
    assert (run.status, run.pushed, run.pending_after) == ("failed", 0, 2)
    assert len(mailing_system.applied_keys()) == 3
    assert PreferenceChange.objects.filter(status="pending").count() == 2

    # the next successful run delivers everything, each change once
    mailing_system.fail_with = None
    run = _run_on_the_worker(sync_email_preferences)
    assert (run.status, run.pushed, run.pending_after) == ("ok", 2, 0)
    assert len(mailing_system.applied_keys()) == len(mailing_system.received) == 5
    assert mailing_system.state_of(cast.standard_user.email, "news_and_updates") is True

    # changes made in the mailing system flow back into the hub
    mailing_system.add_remote_change(email=cast.brand_admin.email, list_key="customer_events",
                                     subscribed=False, changed_at=timezone.now() - timedelta(seconds=1))
    run = _run_on_the_worker(sync_email_preferences)
    assert (run.pulled, run.applied, run.pushed) == (1, 1, 0)
    preference = EmailPreference.objects.get(subscriber__email=cast.brand_admin.email, category__key="customer_events")
    assert preference.is_subscribed is False and preference.last_synced_at is not None


def test_the_opt_out_relay_on_a_real_worker_sends_opt_outs_within_minutes(celery_worker, cast, mailing_system):
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email, source="hub",
                             choices={"news_and_updates": False})
    run = _run_on_the_worker(relay_email_opt_outs)
    assert (run.kind, run.status, run.pushed) == ("opt_outs", "ok", 1)
    assert mailing_system.state_of(cast.standard_user.email, "news_and_updates") is False
