"""Benchmark of the mailing-system sync (PREF-7), run by `make bench` (not by `make test`).

1. Throughput: sync 100 000 pending changes to a local HTTP server speaking the mailing system's
   protocol (signed JSON batches), and report changes per second.
2. Scaling: the same 1 000 pending changes synced on a small preferences table and on a table of
   1 000 000 preferences (with as many changes already sent): the run's SQL is the same and its
   time about the same, because every read starts from the pending-changes index.

Sizes can be changed with BENCH_PENDING and BENCH_LARGE_ROWS.
"""

import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.models import PreferenceChange
from profiles.preferences import sync
from profiles.preferences.demo import ensure_default_categories
from tests.profiles.mailing_system import FakeMailingSystem

PENDING = int(os.environ.get("BENCH_PENDING", "100000"))
LARGE_ROWS = int(os.environ.get("BENCH_LARGE_ROWS", "1000000"))
SCALING_PENDING = 1000
CATEGORIES = ("personalized_learning", "news_and_updates", "customer_events")


@pytest.fixture
def mailing_system(settings):
    system = FakeMailingSystem().start()
    settings.HUB_MAILING_SYSTEM_URL = system.url
    settings.HUB_MAILING_SYSTEM_SECRET = system.secret
    settings.HUB_MAILING_SYSTEM_BATCH_SIZE = 500
    yield system
    system.stop()


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _add_preferences(prefix, rows, *, status):
    """`rows` preferences of new addresses (3 categories each), each with one change in `status`."""
    addresses = -(-rows // len(CATEGORIES))
    _sql(
        "INSERT INTO profiles_subscriber (public_id, email, language, token_version, created_at) "
        "SELECT gen_random_uuid(), %s || g || '@bench.example', '', 1, now() FROM generate_series(1, %s) g",
        [prefix, addresses],
    )
    _sql(
        "INSERT INTO profiles_emailpreference (subscriber_id, category_id, is_subscribed, changed_at) "
        "SELECT s.id, c.id, false, now() FROM profiles_subscriber s CROSS JOIN profiles_emailcategory c "
        "WHERE s.email LIKE %s AND c.key = ANY(%s) ORDER BY s.id, c.id LIMIT %s",
        [f"{prefix}%", list(CATEGORIES), rows],
    )
    _sql(
        "INSERT INTO profiles_preferencechange "
        "(idempotency_key, preference_id, is_subscribed, changed_at, status, attempts, last_error, created_at, sent_at) "
        "SELECT gen_random_uuid(), p.id, p.is_subscribed, p.changed_at, %s, 0, '', now(), "
        "CASE WHEN %s = 'sent' THEN now() END "
        "FROM profiles_emailpreference p JOIN profiles_subscriber s ON s.id = p.subscriber_id WHERE s.email LIKE %s",
        [status, status, f"{prefix}%"],
    )
    _vacuum()


def _vacuum():
    """What autovacuum does between two daily runs: without it, the pending index still holds the
    entries of changes sent moments ago, and the next scan steps over them."""
    _sql("VACUUM ANALYZE profiles_subscriber, profiles_emailpreference, profiles_preferencechange")


def _table_sizes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM profiles_emailpreference), (SELECT count(*) FROM profiles_preferencechange)")
        return cursor.fetchone()


def _timed_run():
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = sync.run_mailing_sync(kind="daily")
        elapsed = time.perf_counter() - started
    assert run.status == "ok", run.error
    return run, elapsed, len(queries.captured_queries)


def _median_run(prefix, repeats=3):
    """Sync the pending changes of `prefix` addresses `repeats` times (marking them pending again
    in between; the mailing system acknowledges the repeats as duplicates): the cold first time
    and the median, so a page cache miss on a big table does not decide the comparison."""
    keys = list(PreferenceChange.objects.filter(status="pending").values_list("pk", flat=True))
    timings = []
    for attempt in range(repeats):
        if attempt:
            PreferenceChange.objects.filter(pk__in=keys).update(status="pending", sent_at=None)
            _vacuum()
        run, elapsed, queries = _timed_run()
        assert run.pushed == len(keys), (prefix, run.pushed)
        timings.append(elapsed)
    return timings[0], sorted(timings)[len(timings) // 2], queries


def _pending_plan():
    """The plan of the push's batch query, to show it reads the pending index."""
    pending = PreferenceChange.objects.filter(status="pending", pk__gt=0).order_by("pk").values(
        "pk", "preference__subscriber__email", "preference__category__key")[:500]
    return pending.explain()


@pytest.mark.django_db(transaction=True)
def test_sync_throughput_and_cost_follow_pending_changes_not_table_size(mailing_system):
    ensure_default_categories()
    report = []
    sync.run_mailing_sync(kind="daily")  # creates the watermark row, so every measured run is alike

    # Scaling, small table: 1 000 preferences, all pending.
    _add_preferences("small", SCALING_PENDING, status="pending")
    small_cold, small_time, small_queries = _median_run("small")
    small_sizes = _table_sizes()

    # Throughput: 100 000 pending changes.
    _add_preferences("bulk", PENDING, status="pending")
    bulk_run, bulk_time, bulk_queries = _timed_run()
    assert bulk_run.pushed == PENDING and bulk_run.pending_after == 0
    assert len(mailing_system.applied_keys()) == SCALING_PENDING + PENDING  # repeats were duplicates
    throughput = PENDING / bulk_time

    # Scaling, large table: 1 000 000 more preferences whose changes were sent long ago, then
    # the same 1 000 pending changes as on the small table (both measured after a vacuum).
    _add_preferences("large", LARGE_ROWS, status="sent")
    _add_preferences("again", SCALING_PENDING, status="pending")
    large_sizes = _table_sizes()
    plan = _pending_plan()
    large_cold, large_time, large_queries = _median_run("again")

    report += [
        "",
        "Email preferences sync benchmark (PREF-7)",
        f"  throughput: {PENDING:,} pending changes synced in {bulk_time:.1f} s "
        f"= {throughput:,.0f} changes/s ({bulk_queries} SQL queries, {PENDING // 500} batches of 500)",
        f"  {SCALING_PENDING:,} pending on a table of {small_sizes[0]:,} preferences / {small_sizes[1]:,} changes: "
        f"{small_time * 1000:.0f} ms (median of 3; first {small_cold * 1000:.0f} ms), {small_queries} queries",
        f"  {SCALING_PENDING:,} pending on a table of {large_sizes[0]:,} preferences / {large_sizes[1]:,} changes: "
        f"{large_time * 1000:.0f} ms (median of 3; first {large_cold * 1000:.0f} ms), {large_queries} queries",
        "  batch query plan on the large table:",
        *("    " + line for line in plan.splitlines()),
    ]
    print("\n".join(report))
    assert large_queries == small_queries
    assert large_time < max(3 * small_time, small_time + 1.0)
    if LARGE_ROWS >= 100_000:  # on toy tables the planner may rightly prefer a sequential scan
        assert "profiles_change_pending" in plan
