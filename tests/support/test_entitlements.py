"""SUP-5 / ENT-1: the entitlements page — the organization's plan, the channels it includes,
Enterprise seats used (x of 5 × packages) and each channel's hours in the viewer's time zone."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from support.services import designate_enterprise_user
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("support:entitlements")
WEDNESDAY_NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 05:00 MST, 13:00 CET


def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(WEDNESDAY_NOON, tick=False)
def test_the_plan_channels_seats_and_hours_in_the_viewers_time_zone(client_for, cast):
    designate_enterprise_user(actor=cast.brand_admin, user=cast.standard_user)
    cast.standard_user.time_zone = "Europe/Berlin"
    cast.standard_user.save(update_fields=["time_zone"])
    html = page(client_for(cast.standard_user))
    assert "Enterprise" in html and "Northwind Analytics" in html
    assert "1 of 10 used" in html and "You have Enterprise Support" in html
    assert html.count('<span class="badge badge--success">Included</span>') == 4
    # Enterprise hours: open now (since Sunday 17:00 MT) until Friday 17:00 MT = Saturday 01:00 in
    # Berlin; open again Sunday 17:00 MT = Monday 01:00 in Berlin.
    assert "open now–<time" in html and "Sat 01:00" in html and "Mon 01:00" in html
    # Next week's window is shown whole — Monday 01:00 to Saturday 01:00 — not cut at the page's
    # seven-day edge.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert re.search(r"Enterprise Support\s*\(English\): open now–Sat 01:00, Mon 01:00–Sat 01:00", text)
    # Chat: Monday to Friday 07:00–16:30 Mountain Time = 15:00–00:30 in Berlin.
    assert "Wed 15:00" in html and "Thu 00:30" in html
    assert "around the clock" in html and "(Europe/Berlin)" in html


@time_machine.travel(WEDNESDAY_NOON, tick=False)
def test_hours_follow_the_viewers_zone_in_denver(client_for, cast):
    cast.brand_admin.time_zone = "America/Denver"
    cast.brand_admin.save(update_fields=["time_zone"])
    html = page(client_for(cast.brand_admin))
    assert "0 of 10 used" in html and "You have Enterprise Support" not in html
    assert "Fri 17:00" in html and "Sun 17:00" in html  # the Enterprise window in Mountain Time
    assert "Wed 07:00" in html and "Wed 16:30" in html  # chat


def test_free_accounts_see_what_the_free_plan_includes(client_for, cast):
    html = page(client_for(cast.free_user))
    assert "Free" in html and "Included</span>" not in html and "seats" not in html
    assert html.count('<span class="badge">Not included</span>') == 4


def test_an_outsider_sees_only_their_own_organization(client_for, cast):
    designate_enterprise_user(actor=cast.brand_admin, user=cast.standard_user)
    html = page(client_for(cast.outsider))
    assert "Contoso Outsiders" in html and "Northwind" not in html and "of 10 used" not in html


def test_vendor_staff_and_anonymous_visitors_have_no_entitlements(client, client_for):
    assert client.get(URL).status_code == 302
    assert client_for(StaffUserFactory()).get(URL).status_code == 404


def test_the_profile_menu_links_the_page(client_for, cast):
    html = client_for(cast.standard_user).get(reverse("profiles:account_detail")).content.decode()
    assert f'href="{URL}"' in html and "Support plan" in html


@pytest.mark.parametrize("rows", [1, 20])
def test_the_page_stays_within_its_query_budget(client_for, cast, count_queries, rows):
    cast.northwind.success_packages = 4
    cast.northwind.save(update_fields=["success_packages"])
    for _ in range(rows):
        designate_enterprise_user(actor=cast.brand_admin, user=UserFactory(organization=cast.northwind))
    client = client_for(cast.brand_admin)
    client.get(URL)
    assert count_queries(lambda: client.get(URL)) <= 12
