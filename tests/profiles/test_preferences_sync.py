"""PREF-7: the sync with the mailing system, against a local HTTP server standing in for it."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connections

from profiles.models import (
    ConsentEvent,
    EmailPreference,
    MailingSyncRun,
    MailingSyncState,
    PreferenceChange,
    Subscriber,
)
from profiles.preferences import sync
from profiles.preferences.adapter import HttpJsonMailingSystem, MailingSystemUnavailable, OutgoingChange
from profiles.preferences.services import retry_failed_changes, update_email_preferences
from tests.factories import StaffUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_categories")]

MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _change(user, **choices):
    return update_email_preferences(actor=user, email=user.email, choices=choices, source="hub")


def _run(kind="daily"):
    return sync.run_mailing_sync(kind=kind)


def _statuses():
    return sorted(PreferenceChange.objects.values_list("status", flat=True))


@time_machine.travel(MONDAY, tick=False)
def test_pending_changes_arrive_signed_once_and_are_marked_sent(cast, mailing_system):
    _change(cast.standard_user, news_and_updates=False, customer_events=False)
    _change(cast.brand_admin, personalized_learning=False)
    run = _run()
    assert (run.status, run.pushed, run.pending_after) == ("ok", 3, 0)
    assert mailing_system.bad_signatures == 0
    assert len(mailing_system.received) == len(mailing_system.applied_keys()) == 3
    assert mailing_system.applied_keys() == {str(k) for k in PreferenceChange.objects.values_list("idempotency_key", flat=True)}
    assert mailing_system.state_of(cast.standard_user.email, "news_and_updates") is False
    assert next(iter(mailing_system.applied.values()))["changed_at"] == MONDAY.isoformat()
    assert _statuses() == ["sent"] * 3
    assert set(EmailPreference.objects.values_list("last_synced_at", flat=True)) == {MONDAY}
    assert MailingSyncRun.objects.get() == run


def test_a_second_run_sends_nothing(cast, mailing_system):
    _change(cast.standard_user, news_and_updates=False)
    _run()
    run = _run()
    assert (run.status, run.pushed) == ("ok", 0)
    assert len(mailing_system.received) == 1


def test_a_run_while_the_mailing_system_fails_loses_nothing_and_the_next_delivers(cast, mailing_system):
    _change(cast.standard_user, news_and_updates=False, customer_events=False)
    mailing_system.fail_with = 500
    run = _run()
    assert run.status == "failed" and "HTTP 500 from POST" in run.error and "after 3 attempts" in run.error
    # reading and sending were each retried with backoff, then given up for this run
    assert sorted(mailing_system.requests) == [("GET", "/v1/preference-changes")] * 3 + [
        ("POST", "/v1/preference-changes")] * 3
    assert mailing_system.applied_keys() == set()
    assert _statuses() == ["pending", "pending"]
    assert set(PreferenceChange.objects.values_list("attempts", flat=True)) == {1}
    assert "HTTP 500" in PreferenceChange.objects.first().last_error
    mailing_system.fail_with = None
    run = _run()
    assert (run.status, run.pushed) == ("ok", 2)
    assert len(mailing_system.applied_keys()) == len(mailing_system.received) == 2
    assert _statuses() == ["sent", "sent"]


def test_a_change_acknowledged_before_a_crash_is_sent_again_but_applied_once(cast, mailing_system):
    """The worker died after the mailing system acknowledged but before the hub recorded it."""
    _change(cast.standard_user, news_and_updates=False)
    _run()
    PreferenceChange.objects.update(status="pending", sent_at=None)
    run = _run()
    assert (run.status, run.pushed) == ("ok", 1)
    assert len(mailing_system.received) == 2 and len(mailing_system.applied_keys()) == 1
    assert _statuses() == ["sent"]


def test_an_unreachable_mailing_system_keeps_changes_pending(cast, settings):
    settings.HUB_MAILING_SYSTEM_URL = "http://127.0.0.1:9/v1"
    settings.HUB_MAILING_SYSTEM_SECRET = "secret"
    settings.HUB_MAILING_SYSTEM_BACKOFF = 0.01
    settings.HUB_MAILING_SYSTEM_MAX_ATTEMPTS = 2
    _change(cast.standard_user, news_and_updates=False)
    run = _run()
    assert run.status == "failed" and "after 2 attempts" in run.error
    assert _statuses() == ["pending"]


def test_a_wrong_secret_is_an_error_not_a_lost_change(cast, mailing_system, settings, caplog):
    settings.HUB_MAILING_SYSTEM_SECRET = "not-the-shared-secret"
    _change(cast.standard_user, news_and_updates=False)
    with caplog.at_level(logging.ERROR, logger="profiles.preferences.sync"):
        run = _run()
    assert run.status == "failed" and "HTTP 401" in run.error
    assert len(mailing_system.requests) == 2  # reading and sending, each once: retrying cannot help
    assert mailing_system.bad_signatures == 2
    assert _statuses() == ["pending"]
    assert "sync with the mailing system failed" in caplog.text


def test_rejected_changes_are_failed_with_the_reason_and_staff_can_retry_them(cast, mailing_system):
    mailing_system.reject_emails = {cast.standard_user.email}
    _change(cast.standard_user, news_and_updates=False)
    _change(cast.brand_admin, news_and_updates=False)
    run = _run()
    assert (run.pushed, run.rejected) == (1, 1)
    failed = PreferenceChange.objects.get(status="failed")
    assert failed.last_error == "address is on the suppression list"
    assert failed.preference.last_synced_at is None
    mailing_system.reject_emails = set()
    assert retry_failed_changes(actor=StaffUserFactory(), change_ids=[failed.pk]) == 1
    assert _run().pushed == 1
    assert _statuses() == ["sent", "sent"]


def test_retrying_an_outdated_failed_change_supersedes_it(cast, mailing_system):
    mailing_system.reject_emails = {cast.standard_user.email}
    _change(cast.standard_user, news_and_updates=False)
    _run()
    _change(cast.standard_user, news_and_updates=True)
    failed = PreferenceChange.objects.get(status="failed")
    assert retry_failed_changes(actor=StaffUserFactory(), change_ids=[failed.pk]) == 0
    assert _statuses() == ["pending", "superseded"]


def test_the_opt_out_relay_sends_only_opt_outs(cast, mailing_system):
    _change(cast.standard_user, news_and_updates=False)
    _change(cast.brand_admin, news_and_updates=False)
    _change(cast.brand_admin, news_and_updates=True)  # supersedes the unsent opt-out
    run = _run("opt_outs")
    assert (run.kind, run.pushed, run.pending_after) == ("opt_outs", 1, 1)
    assert [c["email"] for c in mailing_system.received] == [cast.standard_user.email]
    assert mailing_system.requests == [("POST", "/v1/preference-changes")]  # the relay does not pull
    assert _statuses() == ["pending", "sent", "superseded"]


def test_an_idle_opt_out_relay_records_no_run(cast, mailing_system):
    _change(cast.standard_user, news_and_updates=True, customer_events=False)
    _run()
    assert _run("opt_outs").pushed == 0
    assert MailingSyncRun.objects.filter(kind="opt_outs").count() == 0


@time_machine.travel(MONDAY, tick=False)
def test_remote_changes_flow_back_and_the_later_change_wins(cast, mailing_system):
    with time_machine.travel(MONDAY - timedelta(hours=2), tick=False):
        _change(cast.standard_user, news_and_updates=False)  # older than the remote change below
        _change(cast.brand_admin, customer_events=False)  # newer than the remote change below
    mailing_system.add_remote_change(email="SAM.rivera@northwind.example", list_key="news_and_updates",
                                     subscribed=True, changed_at=MONDAY - timedelta(hours=1))
    mailing_system.add_remote_change(email=cast.brand_admin.email, list_key="customer_events",
                                     subscribed=True, changed_at=MONDAY - timedelta(hours=3))
    mailing_system.add_remote_change(email="new.person@example.org", list_key="personalized_learning",
                                     subscribed=False, changed_at=MONDAY - timedelta(minutes=5))
    run = _run()
    assert (run.pulled, run.applied, run.pushed) == (3, 2, 1)
    sam = EmailPreference.objects.get(subscriber__email=cast.standard_user.email, category__key="news_and_updates")
    assert (sam.is_subscribed, sam.changed_at, sam.last_synced_at) == (True, MONDAY - timedelta(hours=1), MONDAY)
    # the hub's older change lost: superseded, never sent; the admin's newer one was sent
    assert mailing_system.state_of(cast.standard_user.email, "news_and_updates") is None
    assert mailing_system.state_of(cast.brand_admin.email, "customer_events") is False
    newcomer = Subscriber.objects.get(email="new.person@example.org")
    assert newcomer.preferences.get().is_subscribed is False
    event = ConsentEvent.objects.get(subscriber__email=cast.standard_user.email, source="sync")
    assert (event.old_value, event.new_value, event.actor_label) == (False, True, mailing_system.url.split("/")[2])
    assert MailingSyncState.objects.get().pull_cursor == "3"
    assert _run().applied == 0  # the watermark moved on: nothing is applied twice


def test_remote_changes_to_always_on_unknown_or_malformed_entries_are_ignored(cast, mailing_system):
    for email, key in ((cast.brand_admin.email, "operational_updates"), (cast.brand_admin.email, "newsletter"),
                       ("not an address", "news_and_updates")):
        mailing_system.add_remote_change(email=email, list_key=key, subscribed=False, changed_at=MONDAY)
    run = _run()
    assert (run.status, run.pulled, run.applied) == ("ok", 3, 0)
    assert not EmailPreference.objects.exists()


def test_remote_changes_are_read_in_pages_until_the_feed_ends(cast, mailing_system, settings):
    settings.HUB_MAILING_SYSTEM_BATCH_SIZE = 2
    for index in range(5):
        mailing_system.add_remote_change(email=f"reader{index}@example.org", list_key="customer_events",
                                         subscribed=False, changed_at=MONDAY)
    run = _run()
    assert (run.pulled, run.applied) == (5, 5)
    assert [r for r in mailing_system.requests if r[0] == "GET"] == [("GET", "/v1/preference-changes")] * 3


def test_without_a_mailing_system_the_run_says_so_once_and_changes_wait(cast, settings, caplog):
    settings.HUB_MAILING_SYSTEM_URL = ""
    _change(cast.standard_user, news_and_updates=False)
    with caplog.at_level(logging.INFO, logger="profiles.preferences.sync"):
        run = _run()
        relay = _run("opt_outs")
    assert (run.status, run.pending_after) == ("not_configured", 1)
    assert relay is None and MailingSyncRun.objects.count() == 1
    assert "no mailing system configured" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert _statuses() == ["pending"]


@pytest.mark.django_db(transaction=True)
def test_runs_never_overlap_the_relay_yields_and_the_daily_run_waits(
    cast, mailing_system, email_categories, monkeypatch
):
    monkeypatch.setattr(sync, "LOCK_WAIT_SECONDS", 0.3)
    _change(cast.standard_user, news_and_updates=False)
    other = connections.create_connection("default")  # another worker's session
    other.inc_thread_sharing()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [sync.LOCK_ID])
        assert _run("opt_outs") is None
        assert _run().status == "skipped"  # waited 0.3 s, then gave up
        assert _statuses() == ["pending"] and mailing_system.requests == []
        monkeypatch.setattr(sync, "LOCK_WAIT_SECONDS", 30)
        release = threading.Timer(0.5, lambda: other.cursor().execute("SELECT pg_advisory_unlock(%s)", [sync.LOCK_ID]))
        release.start()
        run = _run()  # waits for the other run to end, then syncs
        release.join()
        assert (run.status, run.pushed) == ("ok", 1)
    finally:
        other.dec_thread_sharing()
        other.close()


def test_a_runs_cost_follows_pending_changes_not_table_size(cast, mailing_system, count_queries):
    _run()
    _change(cast.standard_user, news_and_updates=False)
    small = count_queries(_run)
    for index in range(200):
        update_email_preferences(actor=None, email=f"reader{index}@example.org", source="email_link",
                                 choices={"customer_events": False, "news_and_updates": False})
    PreferenceChange.objects.update(status="sent")
    _change(cast.standard_user, news_and_updates=True)
    assert count_queries(_run) == small


def test_the_adapter_honours_retry_after_and_backs_off(mailing_system):
    slept = []
    adapter = HttpJsonMailingSystem(url=mailing_system.url, secret=mailing_system.secret, max_attempts=3,
                                    backoff=1.0, sleep=slept.append)
    mailing_system.fail_with = 503
    with pytest.raises(MailingSystemUnavailable):
        adapter.push_changes([OutgoingChange("k1", "a@example.org", "customer_events", False, MONDAY)])
    assert len(slept) == 2 and 0.5 <= slept[0] <= 1.0 and 1.0 <= slept[1] <= 2.0
    assert len(mailing_system.requests) == 3
    mailing_system.fail_with, mailing_system.retry_after = 429, 7
    slept.clear()
    with pytest.raises(MailingSystemUnavailable, match="HTTP 429"):
        adapter.pull_changes(cursor="", limit=10)
    assert slept == [7.0, 7.0]
