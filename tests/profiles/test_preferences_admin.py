"""Staff side of email preferences (PREF-2, PREF-7, ADM-1, ADM-4): categories, changes on a
customer's behalf, the consent ledger and its CSV export, the outbox and "Sync now"."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from hub.staff import ACCOUNT_SERVICES, CUSTOMER_SUCCESS, SUPPORT_AGENTS, sync_staff_groups
from profiles.models import ConsentEvent, EmailCategory, MailingSyncRun, PreferenceChange, Subscriber
from profiles.preferences.services import update_email_preferences
from tests.factories import StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_categories")]


@pytest.fixture
def staff_in(db):
    sync_staff_groups()

    def make(group):
        user = StaffUserFactory()
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _inline_data(subscriber, rows):
    data = {
        "preferences-TOTAL_FORMS": str(len(rows)), "preferences-INITIAL_FORMS": "0",
        "preferences-MIN_NUM_FORMS": "0", "preferences-MAX_NUM_FORMS": "1000",
    }
    for index, (category, subscribed) in enumerate(rows):
        data[f"preferences-{index}-category"] = str(category.pk)
        data[f"preferences-{index}-subscriber"] = str(subscriber.pk)
        if subscribed:
            data[f"preferences-{index}-is_subscribed"] = "on"
    return data


def test_a_support_agent_changes_a_choice_on_a_customers_behalf(client_for, cast, staff_in, email_categories):
    agent = staff_in(SUPPORT_AGENTS)
    subscriber = Subscriber.objects.create(email=cast.standard_user.email)
    url = reverse("admin:profiles_subscriber_change", args=[subscriber.pk])
    client = client_for(agent)
    assert client.get(url).status_code == 200
    response = client.post(url, _inline_data(subscriber, [(email_categories["customer_events"], False)]))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = ConsentEvent.objects.get()
    assert (event.source, event.actor, event.new_value) == ("staff", agent, False)
    assert PreferenceChange.objects.get().status == "pending"


def test_staff_cannot_turn_off_an_always_on_category(client_for, cast, staff_in, email_categories):
    subscriber = Subscriber.objects.create(email=cast.brand_admin.email)
    url = reverse("admin:profiles_subscriber_change", args=[subscriber.pk])
    response = client_for(staff_in(SUPPORT_AGENTS)).post(
        url, _inline_data(subscriber, [(email_categories["operational_updates"], False)])
    )
    assert response.status_code == 200
    assert "Operational updates can&#x27;t be turned off." in response.content.decode()
    assert not ConsentEvent.objects.exists()


def _ledger(cast):
    update_email_preferences(actor=cast.standard_user, email=cast.standard_user.email, source="hub",
                             choices={"news_and_updates": False})
    update_email_preferences(actor=None, email=cast.brand_admin.email, source="one_click",
                             choices={"customer_events": False})
    update_email_preferences(actor=None, email=cast.outsider.email, source="email_link",
                             choices={"customer_events": False})
    update_email_preferences(actor=None, email="=SUM@example.org", source="email_link",
                             choices={"customer_events": False})


def test_the_ledger_exports_per_address_and_per_organization(client_for, cast, staff_in):
    _ledger(cast)
    client = client_for(staff_in(CUSTOMER_SUCCESS))
    url = reverse("admin:profiles_consentevent_export")
    assert client.get(url).status_code == 200
    rows = _csv(client.post(url, {"email": "SAM.RIVERA@northwind.example"}))
    assert [(r["email"], r["category"], r["old_value"], r["new_value"], r["source"], r["changed_by"]) for r in rows] == [
        (cast.standard_user.email, "news_and_updates", "default", "unsubscribed", "hub", "standard.user")]
    response = client.post(url, {"organization": cast.northwind.public_id.lower()})
    assert response["Content-Disposition"] == f'attachment; filename="consent-ledger-{cast.northwind.public_id}.csv"'
    assert sorted(r["email"] for r in _csv(response)) == sorted([cast.standard_user.email, cast.brand_admin.email])


def test_the_export_form_explains_bad_input(client_for, cast, staff_in):
    client = client_for(staff_in(CUSTOMER_SUCCESS))
    url = reverse("admin:profiles_consentevent_export")
    assert "Enter either an email address or an organization ID." in client.post(url, {}).content.decode()
    assert "No organization has this ID." in client.post(url, {"organization": "ORG-NOPE1"}).content.decode()


def test_exported_cells_never_start_a_spreadsheet_formula(client_for, cast, staff_in):
    _ledger(cast)
    client = client_for(staff_in(SUPPORT_AGENTS))
    rows = _csv(client.post(reverse("admin:profiles_consentevent_export"), {"email": "=sum@example.org"}))
    assert rows[0]["email"] == "'=sum@example.org"


def test_the_ledger_is_searchable_by_organization_id_and_read_only(client_for, cast, staff_in):
    _ledger(cast)
    client = client_for(staff_in(SUPPORT_AGENTS))
    url = reverse("admin:profiles_consentevent_changelist")
    html = client.get(url, {"q": cast.northwind.public_id}).content.decode()
    assert cast.standard_user.email in html and cast.brand_admin.email in html
    assert cast.outsider.email not in html
    event = ConsentEvent.objects.first()
    assert client.post(reverse("admin:profiles_consentevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403


def test_account_services_see_the_ledger_but_cannot_export_it(client_for, cast, staff_in):
    _ledger(cast)
    client = client_for(staff_in(ACCOUNT_SERVICES))
    assert client.get(reverse("admin:profiles_consentevent_changelist")).status_code == 200
    assert client.post(reverse("admin:profiles_consentevent_export"), {"email": cast.standard_user.email}).status_code == 403


def test_customers_never_reach_the_admin(client_for, cast):
    response = client_for(cast.brand_admin).get(reverse("admin:profiles_consentevent_changelist"))
    assert response.status_code == 302


def test_the_outbox_shows_what_waits_and_that_no_mailing_system_is_configured(client_for, cast, staff_in, settings):
    settings.HUB_MAILING_SYSTEM_URL = ""
    _ledger(cast)
    html = client_for(staff_in(CUSTOMER_SUCCESS)).get(reverse("admin:profiles_preferencechange_changelist")).content.decode()
    assert "4 changes wait for the mailing system." in html
    assert "No mailing system is configured" in html


def test_sync_now_runs_the_sync(client_for, cast, staff_in, mailing_system, django_capture_on_commit_callbacks):
    _ledger(cast)
    client = client_for(staff_in(CUSTOMER_SUCCESS))
    url = reverse("admin:profiles_preferencechange_sync_now")
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    run = MailingSyncRun.objects.get()
    assert (run.kind, run.status, run.pushed) == ("manual", "ok", 4)


def test_support_agents_cannot_start_a_sync(client_for, staff_in):
    assert client_for(staff_in(SUPPORT_AGENTS)).post(reverse("admin:profiles_preferencechange_sync_now")).status_code == 403


def test_revoking_links_from_the_admin(client_for, cast, staff_in):
    subscriber = Subscriber.objects.create(email=cast.standard_user.email)
    client_for(staff_in(SUPPORT_AGENTS)).post(reverse("admin:profiles_subscriber_changelist"), {
        "action": "revoke_links", "_selected_action": [subscriber.pk]})
    subscriber.refresh_from_db()
    assert subscriber.token_version == 2


def test_staff_edit_categories_but_not_their_key_and_get_a_sample_email(
    client_for, staff_in, email_categories, django_capture_on_commit_callbacks
):
    user = staff_in(CUSTOMER_SUCCESS)
    user.language = "de"
    user.save(update_fields=["language"])
    client = client_for(user)
    category = email_categories["customer_events"]
    html = client.get(reverse("admin:profiles_emailcategory_change", args=[category.pk])).content.decode()
    assert 'name="key"' not in html and 'name="translations-0-name"' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:profiles_emailcategory_changelist"), {
            "action": "send_sample", "_selected_action": [category.pk]})
    (sample,) = mail.outbox
    assert sample.to == [user.email]
    assert "Kundenveranstaltungen" in sample.subject
    assert sample.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_categories_cannot_be_deleted(client_for, staff_in, email_categories):
    client = client_for(staff_in(CUSTOMER_SUCCESS))
    url = reverse("admin:profiles_emailcategory_delete", args=[email_categories["customer_events"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert EmailCategory.objects.filter(key="customer_events").exists()


def test_a_customer_user_account_with_the_same_address_shares_the_record(cast):
    """PREF-1 seen from staff: one record per address, whoever uses it."""
    update_email_preferences(actor=None, email="Shared@Example.org", source="email_link",
                             choices={"customer_events": False})
    UserFactory(organization=cast.northwind, email="shared@example.org")
    assert Subscriber.objects.filter(email="shared@example.org").count() == 1
