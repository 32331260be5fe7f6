"""The seeded product data (SUP-3, SUP-5) and the data migration of Account Services requests
into tickets (SUP-12)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from support import availability as av
from support import selectors
from support.choices import Channel
from support.models import ProductArea, SupportHoliday, SupportSchedule

SEEDED_AREAS = [
    "Surveys & XM Directory", "Employee Experience", "CX Dashboards", "BX Dashboards", "360",
    "Website & App Insights", "Stats iQ & Crosstabs", "Integrations / API", "SSO settings", "Accessibility",
    "XM Discover",
]


@pytest.mark.django_db
def test_the_eleven_areas_of_the_spec_are_seeded_with_descriptions_and_pictures():
    areas = list(ProductArea.objects.all())
    assert [area.name for area in areas] == SEEDED_AREAS
    for area in areas:
        assert len(area.description) > 40
        assert (Path(settings.BASE_DIR) / "static" / area.picture).is_file()
    discover = ProductArea.objects.get(slug="xm-discover")
    assert discover.queue == "discover" and discover.team_note and not discover.offers_chat
    assert ProductArea.objects.get(slug="surveys").chat_languages == ["en", "es"]
    assert all(a.chat_languages == ["en"] for a in areas if a.slug not in ("surveys", "xm-discover"))


@pytest.mark.django_db
@pytest.mark.parametrize(("channel", "language", "now", "is_open"), [
    (Channel.CHAT, "en", datetime(2026, 11, 20, 23, 29, tzinfo=UTC), True),
    (Channel.CHAT, "en", datetime(2026, 11, 20, 23, 30, tzinfo=UTC), False),
    (Channel.EMAIL, "de", datetime(2026, 3, 30, 6, 0, tzinfo=UTC), True),
    (Channel.PHONE, "ja", datetime(2026, 11, 24, 8, 0, tzinfo=UTC), False),
    (Channel.EMAIL, "es", datetime(2026, 11, 24, 16, 45, tzinfo=UTC), True),
    (Channel.PHONE, "en", datetime(2026, 11, 22, 3, 0, tzinfo=UTC), True),
])
def test_hours_loaded_from_the_database_give_the_engines_answers(channel, language, now, is_open):
    surveys = ProductArea.objects.get(slug="surveys").as_rules()
    status = av.channel_status(channel, customer=av.Customer("enterprise"), area=surveys, language=language,
                               now=now, schedules=selectors.load_schedules(now),
                               chat_languages_online=frozenset({"en"}))
    assert status.is_open is is_open


@pytest.mark.django_db
def test_holidays_staff_add_close_the_schedule_that_day():
    chat = SupportSchedule.objects.get(name="Chat: English and Spanish")
    SupportHoliday.objects.create(date=date(2026, 12, 25), name="Christmas Day").schedules.add(chat)
    now = datetime(2026, 12, 25, 17, 0, tzinfo=UTC)
    [rules] = [s for s in selectors.load_schedules(now) if s.channel == Channel.CHAT]
    assert rules.holidays == frozenset({date(2026, 12, 25)})
    assert av.opening([rules], now).opens_at == datetime(2026, 12, 28, 14, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_account_services_requests_are_migrated_into_tickets():
    before = [("support", "0003_seed_product_areas_and_hours")]
    after = [("support", "0005_remove_accountservicesrequest")]
    try:
        _migrate_requests_and_check(before, after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate_requests_and_check(before, after):
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Organization = old_apps.get_model("hub", "Organization")
    User = old_apps.get_model("hub", "User")
    Request = old_apps.get_model("support", "AccountServicesRequest")
    org = Organization.objects.create(name="Legacy Co", data_center="fra1", license_type="enterprise",
                                      public_id="ORG-LEG01")
    user = User.objects.create(username="legacy.admin", email="legacy@legacy.example", organization=org,
                               user_type="brand_admin")
    request = Request.objects.create(organization=org, requester=user, category="billing_payment", source="billing",
                                     subject="Invoice copy", message="Please send a copy of invoice 42.",
                                     contract_number="C-42", status="in_progress")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    Ticket = new_apps.get_model("support", "Ticket")
    ticket = Ticket.objects.get(public_id=request.public_id)
    assert (ticket.queue, ticket.category, ticket.source, ticket.contract_number, ticket.status, ticket.language) == (
        "account_services", "billing_payment", "billing", "C-42", "open", "en")
    assert ticket.description == "Please send a copy of invoice 42." and ticket.number > 0
    kinds = list(new_apps.get_model("support", "TicketEvent").objects.filter(ticket=ticket)
                 .order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "status_changed"]
    assert new_apps.get_model("support", "HistoricalTicket").objects.filter(id=ticket.id).count() == 1
    assert "support_accountservicesrequest" not in connection.introspection.table_names()
