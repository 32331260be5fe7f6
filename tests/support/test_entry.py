"""SUP-1..5 in the hub: Contact → pre-check → product area → the contact methods open now."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from support.models import ProductArea, SupportAgent, Ticket
from tests.factories import BrandAdminFactory, OrganizationFactory, StaffUserFactory, TicketFactory

pytestmark = pytest.mark.django_db
CONTACT = reverse("support:contact")
PRECHECK = reverse("support:precheck")
AREAS = reverse("support:area_list")


def methods_url(slug="surveys", **query):
    url = reverse("support:contact_methods", args=[slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_header_contact_link_starts_the_support_flow(client_for, cast):
    html = client_for(cast.standard_user).get("/").content.decode()
    assert f'href="{CONTACT}">Contact</a>' in html


def test_anonymous_visitors_sign_in_first_and_come_back(client):
    response = client.get(CONTACT)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={CONTACT}"


@pytest.mark.parametrize(("persona", "sees_account_services"), [
    ("brand_admin", True), ("billing_contact", True), ("standard_user", False), ("fedramp_user", False),
    ("free_user", False),
])
def test_account_services_entry_is_for_brand_admins_and_contacts(
    client_for, cast, contracts, persona, sees_account_services
):
    html = client_for(getattr(cast, persona)).get(CONTACT).content.decode()
    assert "Get technical support" in html
    assert ("Get Account Services support" in html) is sees_account_services
    assert (reverse("support:account_services_create") in html) is sees_account_services


def test_staff_are_pointed_to_the_admin(client_for, db):
    html = client_for(StaffUserFactory()).get(CONTACT).content.decode()
    assert "Get technical support" not in html
    assert reverse("admin:index") in html


def test_standard_users_are_asked_about_their_brand_administrator_with_the_contact(client_for, cast):
    html = client_for(cast.standard_user).get(PRECHECK).content.decode()
    assert "Does this belong with your brand administrator?" in html
    assert "Alex Morgan" in html and "alex.morgan@northwind.example" in html
    assert "adding users, resetting passwords" in html
    assert "Continue to technical support" in html


def test_fedramp_users_get_the_pre_check_without_the_administrators_contact(client_for, cast):
    cast.civic.admin_contact = cast.fedramp_admin
    cast.civic.admin_contact_email = "admin@civic.example"
    cast.civic.save(update_fields=["admin_contact", "admin_contact_email"])
    html = client_for(cast.fedramp_user).get(PRECHECK).content.decode()
    assert "Does this belong with your brand administrator?" in html
    assert "admin@civic.example" not in html and cast.fedramp_admin.email not in html
    assert "does not show your brand administrator" in html


def test_brand_admins_are_asked_about_their_account_team(client_for, cast):
    html = client_for(cast.brand_admin).get(PRECHECK).content.decode()
    assert "Does this belong with your account team?" in html
    assert "Dana Whitfield" in html and "Marcus Lee" in html
    assert "contract, licenses and renewal" in html


def test_self_service_admins_manage_their_license_and_admins_without_a_team_reach_account_services(client_for, db):
    bakery = OrganizationFactory(license_type="self_service")
    html = client_for(BrandAdminFactory(organization=bakery)).get(PRECHECK).content.decode()
    assert "Your license is self-service" in html and "Manage your license" in html
    harbor = OrganizationFactory(license_type="enterprise")
    html = client_for(BrandAdminFactory(organization=harbor)).get(PRECHECK).content.decode()
    assert "no dedicated account team" in html
    assert reverse("support:account_services_create") in html


def test_the_eleven_product_areas_show_descriptions_tied_to_their_links(client_for, cast):
    html = client_for(cast.standard_user).get(AREAS).content.decode()
    assert html.count('class="area-picker__link"') == 11
    for area in ProductArea.objects.all():
        assert f'aria-describedby="area-{area.slug}-details"' in html
        assert f'id="area-{area.slug}-details"' in html
        assert area.picture_url in html
    assert "A separate specialist team handles XM Discover" in html


def test_area_descriptions_are_translated(client_for, cast):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    html = client_for(cast.standard_user).get(AREAS).content.decode()
    assert "Barrierefreiheit" in html
    assert "Umfragen erstellen, verteilen und auswerten" in html


def test_inactive_areas_are_hidden_and_answer_404(client_for, cast):
    ProductArea.objects.filter(slug="360").update(is_active=False)
    client = client_for(cast.standard_user)
    assert 'href="/support/technical/360/assistant/"' not in client.get(AREAS).content.decode()
    assert client.get(reverse("support:assistant", args=["360"])).status_code == 404
    assert client.get(methods_url("360")).status_code == 404


# Tuesday 2026-11-24 18:00 UTC = 11:00 in Denver (chat hours) and 19:00 in Berlin (after CET hours).
TUESDAY_AFTERNOON_UTC = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@time_machine.travel(TUESDAY_AFTERNOON_UTC, tick=False)
def test_contact_methods_show_open_channels_and_when_closed_ones_open_in_the_users_zone(client_for, cast):
    SupportAgent.objects.create(user=StaffUserFactory(), languages=["en"], is_online_for_chat=True)
    html = client_for(cast.brand_admin).get(methods_url(language="de")).content.decode()
    # German email and phone closed at 19:00 Berlin time; they open tomorrow at 08:00 (Berlin).
    assert "Closed now; opens tomorrow at 8 a.m. CET." in html
    # English alternatives are open around the clock.
    assert "In English: open now." in html
    assert "Write to us in English" in html
    # German chat is not offered for the survey area; English chat is open with an agent online.
    assert "Not offered in German." in html


@time_machine.travel(datetime(2026, 11, 21, 18, 0, tzinfo=UTC), tick=False)
def test_chat_on_saturday_says_when_it_opens_in_the_users_zone(client_for, cast):
    cast.standard_user.time_zone = "America/New_York"
    cast.standard_user.save(update_fields=["time_zone"])
    html = client_for(cast.standard_user).get(methods_url()).content.decode()
    # Monday 07:00 Mountain Time is 9 a.m. in New York.
    assert "Closed now; opens Monday at 9 a.m. EST." in html


def test_success_package_users_can_book_calls_and_others_learn_what_includes_them(client_for, cast):
    with_packages = client_for(cast.brand_admin).get(methods_url()).content.decode()
    assert "Book a call with a support engineer" in with_packages
    cast.northwind.success_packages = 0
    cast.northwind.save(update_fields=["success_packages"])
    without = client_for(cast.brand_admin).get(methods_url()).content.decode()
    assert "Included with Success packages." in without


def test_free_accounts_get_the_assistant_and_community_only(client_for, cast):
    html = client_for(cast.free_user).get(methods_url()).content.decode()
    assert "Not included in the Free plan." in html
    assert "Write to us" not in html
    assert "Ask the Community" in html


def test_xm_discover_says_a_separate_team_handles_it(client_for, cast):
    html = client_for(cast.brand_admin).get(methods_url("xm-discover")).content.decode()
    assert "A separate specialist team handles XM Discover." in html
    assert "Not offered for XM Discover." in html  # no chat


def test_the_duplicate_guard_lists_open_requests_in_the_same_area(client_for, cast):
    mine = TicketFactory(requester=cast.standard_user, subject="Survey links expire")
    TicketFactory(requester=cast.standard_user, subject="Solved one", status=Ticket.Status.SOLVED)
    TicketFactory(requester=cast.brand_admin, subject="Colleague's ticket")
    html = client_for(cast.standard_user).get(methods_url()).content.decode()
    assert "You already have open requests about Surveys &amp; XM Directory" in html
    assert f'{reverse("support:ticket_detail", args=[mine.reference])}#reply' in html
    assert "Solved one" not in html and "Colleague&#x27;s ticket" not in html
    other_area = client_for(cast.standard_user).get(methods_url("sso")).content.decode()
    assert "You already have open requests" not in other_area


@pytest.mark.parametrize("url", [PRECHECK, AREAS, methods_url()])
def test_staff_get_404_on_customer_support_pages(client_for, db, url):
    assert client_for(StaffUserFactory()).get(url).status_code == 404


def test_an_unknown_language_falls_back_to_the_users_language(client_for, cast):
    response = client_for(cast.standard_user).get(methods_url(language="xx"))
    assert response.status_code == 200
    assert 'value="en" selected' in response.content.decode()


@pytest.mark.parametrize("url", [CONTACT, PRECHECK, AREAS, methods_url(), methods_url(language="de")])
def test_entry_pages_stay_within_the_query_budget_with_1_and_20_open_tickets(client_for, cast, count_queries, url):
    client = client_for(cast.standard_user)
    TicketFactory(requester=cast.standard_user)
    one = count_queries(lambda: client.get(url))
    for _ in range(19):
        TicketFactory(requester=cast.standard_user)
    twenty = count_queries(lambda: client.get(url))
    assert one <= 12
    assert one == twenty
