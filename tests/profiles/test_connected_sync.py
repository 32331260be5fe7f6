"""CON-4: the Community/Academy adapter over real HTTP, the keyset-batched sync, and the Celery
task on a real worker. A second run changes nothing."""

import logging
from datetime import date, timedelta

import pytest
from django.utils import timezone

from profiles.adapters.connected import (
    CertificationData,
    CommunityProfileData,
    ConnectedAccountsError,
    HttpJsonConnectedAccounts,
)
from profiles.models import Certification, CommunityProfile, ConnectedAccountsSync
from profiles.services import connected as sync
from profiles.tasks import start_connected_accounts_sync
from tests.conftest import wait_for
from tests.factories import CertificationFactory, CommunityProfileFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ALEX = "alex.morgan@northwind.example"
SAM = "sam.rivera@northwind.example"


def community(username="alex_morgan", **extra):
    return {"username": username, "rank": "Expert", "member_since": "2021-03-14", "topics_count": 42,
            "profile_url": f"https://community.example.com/u/{username}", **extra}


def certification(cert_id="C-1", status="completed", **extra):
    data = {"id": cert_id, "name": f"Certification {cert_id}", "status": status,
            "completed_on": "2024-05-02" if status == "completed" else None,
            "certificate_url": f"https://academy.example.com/c/{cert_id}" if status == "completed" else None}
    return {**data, **extra}


def run_sync(**kwargs):
    """One whole run, batch by batch, as the tasks would do it."""
    run = sync.start_connected_accounts_sync()
    assert run is not None
    while sync.sync_connected_accounts_batch(run_id=run.pk, **kwargs):
        pass
    run.refresh_from_db()
    return run


def snapshot():
    return (
        sorted(CommunityProfile.objects.values_list("user_id", "username", "rank", "member_since", "topics_count",
                                                    "profile_url", "changed_at")),
        sorted(Certification.objects.values_list("user_id", "external_id", "name", "status", "completed_on",
                                                 "certificate_url", "changed_at")),
        CommunityProfile.history.count(),
        Certification.history.count(),
    )


# --- the adapter -------------------------------------------------------------------------------

def test_adapter_reads_a_community_profile_and_sends_the_token(fake_sites):
    fake_sites.community["a+b@example.com"] = community()
    profile = HttpJsonConnectedAccounts().fetch_community_profile("a+b@example.com")
    assert profile == CommunityProfileData(username="alex_morgan", rank="Expert", member_since=date(2021, 3, 14),
                                           topics_count=42, profile_url="https://community.example.com/u/alex_morgan")
    path, email, auth = fake_sites.requests[0]
    assert (path, email, auth) == ("/community/members", "a+b@example.com", "Bearer community-secret")


def test_adapter_reads_certifications_in_progress_and_completed(fake_sites):
    fake_sites.academy[ALEX] = [certification("C-1"), certification("C-2", status="in_progress")]
    certs = HttpJsonConnectedAccounts().fetch_certifications(ALEX)
    assert certs == [
        CertificationData(external_id="C-1", name="Certification C-1", status="completed",
                          completed_on=date(2024, 5, 2), certificate_url="https://academy.example.com/c/C-1"),
        CertificationData(external_id="C-2", name="Certification C-2", status="in_progress"),
    ]
    assert fake_sites.requests[0][2] == "Bearer academy-secret"


def test_adapter_treats_404_as_no_account(fake_sites):
    adapter = HttpJsonConnectedAccounts()
    assert adapter.fetch_community_profile("nobody@example.com") is None
    assert adapter.fetch_certifications("nobody@example.com") == []


def test_adapter_raises_on_server_errors_and_unreachable_systems(fake_sites):
    fake_sites.failing.add(ALEX)
    with pytest.raises(ConnectedAccountsError):
        HttpJsonConnectedAccounts().fetch_community_profile(ALEX)
    unreachable = HttpJsonConnectedAccounts(community_url="http://127.0.0.1:9/none", timeout=1)
    with pytest.raises(ConnectedAccountsError):
        unreachable.fetch_community_profile(ALEX)


@pytest.mark.parametrize(
    "bad",
    [
        [{"name": "No id", "status": "completed"}],
        [certification("C-1", status="expired")],
        [certification("C-1"), certification("C-1")],
        [certification("C-1", completed_on="last tuesday")],
        "not a list",
    ],
)
def test_adapter_refuses_malformed_certifications(fake_sites, bad):
    fake_sites.academy[ALEX] = bad
    with pytest.raises(ConnectedAccountsError):
        HttpJsonConnectedAccounts().fetch_certifications(ALEX)


def test_adapter_drops_links_that_are_not_http(fake_sites):
    fake_sites.community[ALEX] = community(profile_url="javascript:alert(1)")
    fake_sites.academy[ALEX] = [certification("C-1", certificate_url="data:text/html,hi")]
    adapter = HttpJsonConnectedAccounts()
    assert adapter.fetch_community_profile(ALEX).profile_url == ""
    assert adapter.fetch_certifications(ALEX)[0].certificate_url == ""


# --- the sync ----------------------------------------------------------------------------------

def test_a_run_stores_what_the_sites_know_and_a_second_run_changes_nothing(cast, fake_sites):
    fake_sites.community[ALEX] = community()
    fake_sites.academy[ALEX] = [certification("C-1"), certification("C-2", status="in_progress")]
    fake_sites.academy[SAM] = [certification("C-9")]

    first = run_sync()
    profile = CommunityProfile.objects.get(user=cast.brand_admin)
    assert (profile.username, profile.rank, profile.topics_count) == ("alex_morgan", "Expert", 42)
    assert set(Certification.objects.filter(user=cast.brand_admin).values_list("external_id", "status")) == {
        ("C-1", "completed"), ("C-2", "in_progress")}
    assert Certification.objects.filter(user=cast.standard_user).count() == 1
    assert first.records_changed == 4 and first.errors == 0 and first.finished_at is not None

    before = snapshot()
    second = run_sync()
    assert snapshot() == before
    assert second.records_changed == 0
    assert second.users_checked == first.users_checked


def test_changes_at_the_source_update_and_remove_stored_records(cast, fake_sites):
    fake_sites.community[ALEX] = community()
    fake_sites.academy[ALEX] = [certification("C-1"), certification("C-2", status="in_progress")]
    run_sync()
    fake_sites.community[ALEX] = community(rank="Legend", topics_count=43)
    fake_sites.academy[ALEX] = [certification("C-2")]  # C-2 completed, C-1 gone

    run = run_sync()
    profile = CommunityProfile.objects.get(user=cast.brand_admin)
    assert (profile.rank, profile.topics_count) == ("Legend", 43)
    assert list(Certification.objects.filter(user=cast.brand_admin).values_list("external_id", "status")) == [
        ("C-2", "completed")]
    assert run.records_changed == 3
    assert profile.history.first().history_type == "~"

    del fake_sites.community[ALEX]
    run_sync()
    assert not CommunityProfile.objects.filter(user=cast.brand_admin).exists()


def test_a_failed_lookup_keeps_what_was_stored(cast, fake_sites):
    fake_sites.community[ALEX] = community()
    fake_sites.academy[ALEX] = [certification("C-1")]
    run_sync()
    fake_sites.failing.add(ALEX)
    run = run_sync()
    assert run.errors == 1
    assert CommunityProfile.objects.filter(user=cast.brand_admin).exists()
    assert Certification.objects.filter(user=cast.brand_admin).count() == 1


def test_fedramp_inactive_and_staff_addresses_are_never_sent(cast, fake_sites):
    inactive = UserFactory(organization=cast.northwind, is_active=False)
    run_sync()
    asked = set(fake_sites.emails_asked())
    assert cast.brand_admin.email in asked and cast.free_user.email in asked
    assert not asked & {cast.fedramp_user.email, cast.fedramp_admin.email, inactive.email}


def test_without_api_urls_the_sync_is_skipped_with_one_log_line_and_keeps_demo_data(cast, settings, caplog):
    settings.HUB_COMMUNITY_API_URL = settings.HUB_ACADEMY_API_URL = ""
    CommunityProfileFactory(user=cast.brand_admin)
    with caplog.at_level(logging.INFO, logger="profiles.services.connected"):
        start_connected_accounts_sync.delay()
    assert [r.message for r in caplog.records if r.name.startswith("profiles")] == [
        "connected accounts sync skipped: neither HUB_COMMUNITY_API_URL nor HUB_ACADEMY_API_URL is set"]
    assert not ConnectedAccountsSync.objects.exists()
    assert CommunityProfile.objects.filter(user=cast.brand_admin).exists()


def test_an_unconfigured_system_keeps_its_stored_data(cast, fake_sites, settings):
    settings.HUB_ACADEMY_API_URL = ""
    CertificationFactory(user=cast.brand_admin)
    fake_sites.community[ALEX] = community()
    run_sync()
    assert Certification.objects.filter(user=cast.brand_admin).count() == 1
    assert fake_sites.emails_asked("/academy/certifications") == []
    assert CommunityProfile.objects.filter(user=cast.brand_admin).exists()


def test_users_are_walked_in_bounded_keyset_batches_each_once(cast, fake_sites):
    eligible = sync.eligible_users().count()
    run = sync.start_connected_accounts_sync()
    batches = 0
    while sync.sync_connected_accounts_batch(run_id=run.pk, batch_size=2):
        batches += 1
    assert batches == -(-eligible // 2)
    asked = fake_sites.emails_asked("/community/members")
    assert len(asked) == len(set(asked)) == eligible


def test_duplicated_batch_messages_ask_about_each_user_once(cast, fake_sites):
    run = sync.start_connected_accounts_sync()
    chains = {"original": True, "duplicate": True}
    while any(chains.values()):
        for name in chains:
            if chains[name]:
                chains[name] = sync.sync_connected_accounts_batch(run_id=run.pk, batch_size=2)
    asked = fake_sites.emails_asked("/community/members")
    assert len(asked) == len(set(asked)) == sync.eligible_users().count()


def test_a_batch_claimed_by_another_worker_meanwhile_is_left_to_it(cast, fake_sites, monkeypatch):
    run = sync.start_connected_accounts_sync()
    real_eligible_users = sync.eligible_users

    def eligible_users_while_another_worker_claims():
        ConnectedAccountsSync.objects.filter(pk=run.pk).update(cursor=1)
        return real_eligible_users()

    monkeypatch.setattr(sync, "eligible_users", eligible_users_while_another_worker_claims)
    assert sync.sync_connected_accounts_batch(run_id=run.pk, batch_size=2) is False
    assert fake_sites.requests == []


def test_one_run_at_a_time_and_a_stalled_run_is_resumed(cast, fake_sites):
    run = sync.start_connected_accounts_sync()
    assert sync.start_connected_accounts_sync() is None
    ConnectedAccountsSync.objects.filter(pk=run.pk).update(progressed_at=timezone.now() - timedelta(hours=2))
    resumed = sync.start_connected_accounts_sync()
    assert resumed.pk == run.pk
    assert sync.start_connected_accounts_sync() is None


def test_a_batch_where_every_lookup_fails_ends_the_run(cast, fake_sites):
    fake_sites.failing.update(sync.eligible_users().values_list("email", flat=True))
    run = sync.start_connected_accounts_sync()
    assert sync.sync_connected_accounts_batch(run_id=run.pk, batch_size=2) is False
    run.refresh_from_db()
    assert not run.is_running and run.errors == 2
    assert len(fake_sites.emails_asked("/community/members")) == 2


def test_the_tasks_chain_batches_eagerly(cast, fake_sites, settings, django_capture_on_commit_callbacks):
    settings.HUB_CONNECTED_SYNC_BATCH_SIZE = 2
    fake_sites.academy[ALEX] = [certification("C-1")]
    with django_capture_on_commit_callbacks(execute=True):
        start_connected_accounts_sync.delay()
    run = ConnectedAccountsSync.objects.get()
    assert not run.is_running and run.users_checked == sync.eligible_users().count()
    assert Certification.objects.filter(user=cast.brand_admin).count() == 1


@pytest.mark.celery_worker
def test_the_sync_runs_on_a_real_worker_and_a_second_run_changes_nothing(celery_worker, fake_sites, settings):
    settings.HUB_CONNECTED_SYNC_BATCH_SIZE = 3
    org = OrganizationFactory()
    users = [UserFactory(organization=org) for _ in range(7)]
    UserFactory(organization=OrganizationFactory(is_fedramp=True))
    for index, user in enumerate(users):
        fake_sites.community[user.email] = community(f"member_{index}", topics_count=index)
        fake_sites.academy[user.email] = [certification(f"C-{index}"), certification(f"P-{index}", "in_progress")]

    start_connected_accounts_sync.delay()
    assert wait_for(lambda: ConnectedAccountsSync.objects.filter(is_running=False).count() == 1)
    assert CommunityProfile.objects.count() == 7
    assert Certification.objects.count() == 14
    before = snapshot()

    start_connected_accounts_sync.delay()
    assert wait_for(lambda: ConnectedAccountsSync.objects.filter(is_running=False).count() == 2)
    assert snapshot() == before
    second = ConnectedAccountsSync.objects.order_by("-pk").first()
    assert (second.users_checked, second.records_changed, second.errors) == (7, 0, 0)
    assert len(fake_sites.emails_asked("/community/members")) == 14
