"""CON-4, ADM-1, ADM-3, ADM-4: staff read the synced Community/Academy data and the sync runs, edit
account teams, and see the history of every change."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hub import staff
from profiles.models import ConnectedAccountsSync
from profiles.services.organization import set_admin_contact
from tests.factories import CertificationFactory, CommunityProfileFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return StaffUserFactory(is_superuser=True)


def member_of(group_name):
    staff.sync_staff_groups()
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_staff_find_synced_data_by_customer(client_for, cast, superuser):
    CommunityProfileFactory(user=cast.standard_user, username="sam_rivera")
    CertificationFactory(user=cast.standard_user, name="Platform Administrator")
    client = client_for(superuser)
    html = client.get(reverse("admin:profiles_communityprofile_changelist"), {"q": cast.northwind.public_id}).content.decode()
    assert "sam_rivera" in html and "Northwind Analytics" in html
    html = client.get(reverse("admin:profiles_certification_changelist"), {"status": "completed"}).content.decode()
    assert "Platform Administrator" in html


def test_corrections_by_staff_are_kept_in_the_history(client_for, cast):
    profile = CommunityProfileFactory(user=cast.standard_user, username="sam_rivera", rank="Contributor")
    customer_success = member_of(staff.CUSTOMER_SUCCESS)
    client = client_for(customer_success)
    url = reverse("admin:profiles_communityprofile_change", args=[profile.pk])
    data = {"username": "sam_rivera", "rank": "Expert", "member_since": "2021-03-14", "topics_count": 5,
            "profile_url": ""}
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.rank == "Expert"
    assert profile.history.first().history_user == customer_success
    assert client.get(reverse("admin:profiles_communityprofile_history", args=[profile.pk])).status_code == 200


def test_support_agents_read_but_do_not_change_synced_data(client_for, cast):
    profile = CommunityProfileFactory(user=cast.standard_user)
    client = client_for(member_of(staff.SUPPORT_AGENTS))
    assert client.get(reverse("admin:profiles_communityprofile_changelist")).status_code == 200
    url = reverse("admin:profiles_communityprofile_change", args=[profile.pk])
    client.post(url, {"username": "changed", "rank": "", "topics_count": 0})
    profile.refresh_from_db()
    assert profile.username != "changed"
    assert client.get(reverse("admin:profiles_connectedaccountssync_changelist")).status_code == 403


def test_sync_runs_are_listed_read_only(client_for, superuser):
    run = ConnectedAccountsSync.objects.create(users_checked=12, records_changed=3)
    client = client_for(superuser)
    assert "12" in client.get(reverse("admin:profiles_connectedaccountssync_changelist")).content.decode()
    change = client.get(reverse("admin:profiles_connectedaccountssync_change", args=[run.pk])).content.decode()
    assert 'name="users_checked"' not in change


def test_account_team_changes_have_history_with_who_changed_them(client_for, cast, superuser):
    client = client_for(superuser)
    set_admin_contact(actor=cast.brand_admin, name="Northwind IT Desk", email="it@northwind.example")
    cast.northwind.refresh_from_db()
    cast.northwind.account_executive = None
    cast.northwind._history_user = superuser
    cast.northwind.save()
    history = list(cast.northwind.history.all()[:2])
    assert [h.history_user for h in history] == [superuser, cast.brand_admin]
    html = client.get(reverse("admin:hub_organization_history", args=[cast.northwind.pk])).content.decode()
    changes = html[html.index('id="change-history"'):]
    assert "Northwind IT Desk" in changes and str(superuser) in changes and str(cast.brand_admin) in changes
    assert client.get(reverse("admin:hub_staffcontact_history", args=[cast.csm.pk])).status_code == 200
