"""SCH-1 in the hub: the contact methods lead to the booking page (dates, then times, in the
user's zone); booking, the confirmation, My scheduled calls, reschedule and cancel; the ticket
links to its call; staff see the calls in the admin. Access and query budgets for each page."""

import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from support.models import AgentShift, ProductArea, ScheduledCall, SupportAgent
from support.services import book_scheduled_call
from tests.factories import StaffUserFactory

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # Thursday 10:00 in Berlin
FIRST_SLOT = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
CREATE = reverse("support:scheduled_call_create", args=["surveys"])
LIST = reverse("support:scheduled_call_list")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def on_duty_agent(languages=("en", "de"), hours=(time(0), time(0))):
    record = SupportAgent.objects.create(user=StaffUserFactory(first_name="Lena"), languages=list(languages))
    for weekday in range(7):
        AgentShift.objects.create(agent=record, weekday=weekday, starts=hours[0], ends=hours[1], time_zone="UTC")
    return record


@pytest.fixture
def agent(db):
    return on_duty_agent()


def book(user, starts_at=FIRST_SLOT):
    return book_scheduled_call(
        actor=user, area=ProductArea.objects.get(slug="surveys"), language="en", starts_at=starts_at,
        subject="Quota logic review", description="We would like to walk through our quota logic together.",
        request_token=uuid.uuid4(),
    )


def form_data(slot="2026-12-03T11:00Z", **extra):
    return {"date": "2026-12-03", "slot": slot, "subject": "Quota logic review",
            "description": "We would like to walk through our quota logic together.",
            "request_token": str(uuid.uuid4()), **extra}


def detail_url(call):
    return reverse("support:scheduled_call_detail", args=[call.public_id])


# --- The way in ---------------------------------------------------------------------------------------
def test_the_contact_methods_offer_scheduling_a_call_to_success_package_users(client_for, cast, agent):
    html = client_for(cast.brand_admin).get(reverse("support:contact_methods", args=["surveys"])).content.decode()
    assert "Schedule a call" in html and f'href="{CREATE}?language=en"' in html


def test_the_home_card_links_my_scheduled_calls_for_those_who_can_book(client_for, cast):
    assert LIST in client_for(cast.brand_admin).get("/").content.decode()
    assert LIST not in client_for(cast.outsider).get("/").content.decode()


# --- Picking a date and a time -------------------------------------------------------------------------
def test_dates_and_times_are_shown_in_the_users_time_zone(client_for, cast, agent):
    response = client_for(cast.brand_admin).get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    # Berlin (CET): the first slot after two hours' lead is 12:00 local; the date is today, chosen.
    assert 'aria-current="date"' in html
    assert re.search(r'value="2026-12-03T11:00Z"[^>]*>\s*noon–12:30 p.m.', html)
    assert "Times on Thursday, Dec. 3, 2026" in html
    assert "Europe/Berlin" in html


def test_a_user_far_east_sees_the_same_slot_on_their_next_day(client_for, cast, agent):
    cast.brand_admin.time_zone = "Pacific/Auckland"  # UTC+13 in December
    cast.brand_admin.save(update_fields=["time_zone"])
    html = client_for(cast.brand_admin).get(CREATE).content.decode()
    # 11:00 UTC is 00:00 on Friday in Auckland.
    assert "Times on Friday, Dec. 4, 2026" in html
    assert re.search(r'value="2026-12-03T11:00Z"[^>]*>\s*midnight–12:30 a.m.', html)


def test_choosing_another_date_shows_its_times_and_htmx_swaps_only_them(client_for, cast, agent):
    client = client_for(cast.brand_admin)
    html = client.get(CREATE, {"language": "en", "date": "2026-12-05"}).content.decode()
    assert "Times on Saturday, Dec. 5, 2026" in html and 'value="2026-12-05T08:00Z"' in html
    assert 'value="2026-12-03T11:00Z"' not in html
    partial = client.get(CREATE, {"language": "en", "date": "2026-12-05"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="call-times"') and "<h1>" not in body and 'name="subject"' not in body


def test_a_date_without_times_falls_back_to_the_first_date_with_some(client_for, cast, agent):
    html = client_for(cast.brand_admin).get(CREATE, {"date": "2030-01-01"}).content.decode()
    assert "Times on Thursday, Dec. 3, 2026" in html


def test_no_agent_for_the_language_says_so_and_offers_english(client_for, cast, agent):
    html = client_for(cast.brand_admin).get(CREATE, {"language": "ja"}).content.decode()
    assert "No support engineer is free" in html and "?language=en" in html


# --- Booking ------------------------------------------------------------------------------------------------
def test_booking_leads_to_the_confirmation(client_for, cast, agent):
    client = client_for(cast.brand_admin)
    response = client.post(CREATE + "?language=en", form_data())
    call = ScheduledCall.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(call)
    html = client.get(response["Location"]).content.decode()
    assert "Your call is booked. We emailed you a calendar invite." in html
    assert "Thursday, Dec. 3, 2026, noon CET" in html
    assert call.ticket.reference in html and "Lena" in html
    assert reverse("support:scheduled_call_reschedule", args=[call.public_id]) in html


def test_booking_with_htmx_redirects_the_whole_page(client_for, cast, agent):
    response = client_for(cast.brand_admin).post(CREATE + "?language=en", form_data(), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == detail_url(ScheduledCall.objects.get())


def test_bad_input_is_explained_at_the_fields_and_keeps_what_was_typed(client_for, cast, agent):
    response = client_for(cast.brand_admin).post(
        CREATE + "?language=en", form_data(slot="", subject="Quota logic review", description="short"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Choose a time for the call." in html
    assert "Describe what you would like to discuss in at least 20 characters." in html
    assert 'value="Quota logic review"' in html and "short</textarea>" in html
    assert not ScheduledCall.objects.exists()


def test_a_slot_taken_meanwhile_is_refused_with_fresh_times(client_for, cast, agent):
    book(cast.standard_user)  # the only agent now has 11:00 UTC
    response = client_for(cast.brand_admin).post(CREATE + "?language=en", form_data())
    html = response.content.decode()
    assert response.status_code == 422
    assert "This time is no longer available. Please choose another time." in html
    assert 'value="2026-12-03T11:00Z"' not in html and 'value="2026-12-03T11:30Z"' in html
    assert 'value="Quota logic review"' in html
    assert ScheduledCall.objects.count() == 1


def test_garbage_slot_values_are_refused_not_crashing(client_for, cast, agent):
    response = client_for(cast.brand_admin).post(CREATE + "?language=en", form_data(slot="next tuesday"))
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["outsider", "free_user", "fedramp_user"])
def test_users_without_success_packages_get_404(client_for, cast, agent, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, form_data()).status_code == 404
    assert not ScheduledCall.objects.exists()


def test_areas_without_scheduled_calls_get_404(client_for, cast, agent):
    url = reverse("support:scheduled_call_create", args=["stats-crosstabs"])
    assert client_for(cast.brand_admin).get(url).status_code == 404


def test_staff_and_anonymous_visitors_cannot_book(client_for, client, cast, agent):
    assert client.get(CREATE).status_code == 302
    assert client_for(StaffUserFactory()).get(CREATE).status_code == 404


# --- The call's page, My scheduled calls, the ticket ------------------------------------------------------
def test_only_the_booker_sees_the_call(client_for, cast, agent):
    call = book(cast.standard_user)
    url = detail_url(call)
    assert client_for(cast.standard_user).get(url).status_code == 200
    for other in (cast.brand_admin, cast.outsider, cast.free_user):  # a colleague, another org, another role
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(reverse("support:scheduled_call_cancel", args=[call.public_id])).status_code == 404
        assert client_for(other).get(reverse("support:scheduled_call_reschedule", args=[call.public_id])).status_code == 404
    call.refresh_from_db()
    assert call.is_booked
    assert client_for(cast.brand_admin).get(reverse("support:scheduled_call_detail", args=[uuid.uuid4()])).status_code == 404


def test_my_scheduled_calls_lists_upcoming_and_cancelled_calls_of_mine_only(client_for, cast, agent):
    mine = book(cast.brand_admin)
    later = book(cast.brand_admin, FIRST_SLOT + timedelta(hours=2))
    book(cast.standard_user, FIRST_SLOT + timedelta(hours=1))
    client = client_for(cast.brand_admin)
    client.post(reverse("support:scheduled_call_cancel", args=[later.public_id]))
    html = client.get(LIST).content.decode()
    assert detail_url(mine) in html and detail_url(later) in html
    upcoming, earlier = html.split('id="earlier-title"')
    assert detail_url(mine) in upcoming and detail_url(later) in earlier
    assert html.count("Quota logic review") == 2


def test_the_ticket_shows_its_call_to_the_booker_only(client_for, cast, agent):
    call = book(cast.standard_user)
    url = reverse("support:ticket_detail", args=[call.ticket.reference])
    html = client_for(cast.standard_user).get(url).content.decode()
    assert "Reschedule or cancel the call" in html and detail_url(call) in html
    assert "Call booked for Thursday, Dec. 3, 2026, noon CET." in html  # the timeline, in the viewer's zone
    admin_html = client_for(cast.brand_admin).get(url).content.decode()  # sees the ticket, not the booking
    assert detail_url(call) not in admin_html


# --- Reschedule and cancel -----------------------------------------------------------------------------
def test_rescheduling_from_the_calls_page(client_for, cast, agent):
    call = book(cast.brand_admin)
    client = client_for(cast.brand_admin)
    url = reverse("support:scheduled_call_reschedule", args=[call.public_id])
    html = client.get(url, {"date": "2026-12-04"}).content.decode()
    assert "Booked now:" in html and 'value="2026-12-04T09:00Z"' in html
    response = client.post(url, {"date": "2026-12-04", "slot": "2026-12-04T09:00Z"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.starts_at == datetime(2026, 12, 4, 9, tzinfo=UTC) and call.sequence == 1
    assert "Your call is moved." in client.get(response["Location"]).content.decode()
    again = client.post(url, {"date": "2026-12-04", "slot": "2026-12-04T09:00Z"})  # a double submit
    assert again.status_code == 302
    call.refresh_from_db()
    assert call.sequence == 1


def test_rescheduling_keeps_the_calls_own_time_offered_and_refuses_bad_input(client_for, cast, agent):
    call = book(cast.brand_admin)
    client = client_for(cast.brand_admin)
    url = reverse("support:scheduled_call_reschedule", args=[call.public_id])
    assert 'value="2026-12-03T11:00Z"' in client.get(url).content.decode()
    response = client.post(url, {"slot": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Choose a time for the call." in response.content.decode()


def test_cancelling_is_a_post_and_twice_is_harmless(client_for, cast, agent):
    call = book(cast.brand_admin)
    client = client_for(cast.brand_admin)
    url = reverse("support:scheduled_call_cancel", args=[call.public_id])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Your call is cancelled." in html and "Cancelled call" in html
    assert reverse("support:scheduled_call_reschedule", args=[call.public_id]) not in html
    assert client.post(url).status_code == 302
    call.refresh_from_db()
    assert call.status == "cancelled" and call.sequence == 1
    assert client.get(reverse("support:scheduled_call_reschedule", args=[call.public_id])).status_code == 302


# --- Staff ----------------------------------------------------------------------------------------------------
def test_staff_see_upcoming_calls_in_the_admin_and_can_cancel_them(client_for, cast, agent, django_user_model):
    from hub.staff import SUPPORT_AGENTS, sync_staff_groups

    sync_staff_groups()
    call = book(cast.brand_admin)
    past = book(cast.standard_user, FIRST_SLOT + timedelta(hours=1))
    ScheduledCall.objects.filter(pk=past.pk).update(starts_at=NOW - timedelta(days=1),
                                                    ends_at=NOW - timedelta(days=1) + timedelta(minutes=30))
    staff = StaffUserFactory()
    staff.groups.add(django_user_model.groups.field.related_model.objects.get(name=SUPPORT_AGENTS))
    client = client_for(staff)
    html = client.get(reverse("admin:support_scheduledcall_changelist")).content.decode()
    assert call.ticket.reference in html and past.ticket.reference not in html
    everything = client.get(reverse("admin:support_scheduledcall_changelist"), {"when": "all"}).content.decode()
    assert call.ticket.reference in everything and past.ticket.reference in everything
    past_only = client.get(reverse("admin:support_scheduledcall_changelist"), {"when": "past"}).content.decode()
    assert call.ticket.reference not in past_only and past.ticket.reference in past_only
    response = client.post(reverse("admin:support_scheduledcall_changelist"),
                           {"action": "cancel_calls", "_selected_action": [call.pk]})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "cancelled"


# --- Query budgets ----------------------------------------------------------------------------------------------
def _agents(count):
    return [on_duty_agent(hours=(time(8), time(17))) for _ in range(count)]


def _booking_page_queries(client, count_queries):
    client.get(CREATE)
    full = count_queries(lambda: client.get(CREATE))
    times = count_queries(lambda: client.get(CREATE, {"date": "2026-12-04"}, headers={"HX-Request": "true"}))
    return full, times


def test_the_booking_page_costs_the_same_with_one_and_twenty_agents_and_bookings(client_for, cast, count_queries):
    area = ProductArea.objects.get(slug="surveys")
    client = client_for(cast.brand_admin)

    def add_agents(count, first_day):
        for index, _worker in enumerate(_agents(count)):
            book_scheduled_call(actor=cast.standard_user, area=area, language="en",
                                starts_at=FIRST_SLOT + timedelta(days=first_day + index % 5, hours=index // 5),
                                subject="Busy agent", description="Taking one of the agents' slots for the budget test.",
                                request_token=uuid.uuid4())

    add_agents(1, 1)
    at_one = _booking_page_queries(client, count_queries)
    add_agents(19, 1)
    at_twenty = _booking_page_queries(client, count_queries)
    assert at_one == at_twenty
    assert max(at_twenty) <= 12


@pytest.mark.parametrize("calls", [1, 20])
def test_my_calls_and_the_calls_page_stay_within_twelve_queries(client_for, cast, agent, count_queries, calls):
    booked = [book(cast.brand_admin, FIRST_SLOT + timedelta(hours=hour)) for hour in range(calls)]
    client = client_for(cast.brand_admin)
    client.get(LIST)
    listed = count_queries(lambda: client.get(LIST))
    assert listed <= 12
    assert count_queries(lambda: client.get(detail_url(booked[-1]))) <= 12
    assert count_queries(lambda: client.get(reverse("support:scheduled_call_reschedule", args=[booked[0].public_id]))) <= 12
    assert count_queries(lambda: client.get(reverse("support:ticket_detail", args=[booked[0].ticket.reference]))) <= 12


def test_my_calls_costs_the_same_at_one_and_twenty(client_for, cast, agent, count_queries):
    client = client_for(cast.brand_admin)
    book(cast.brand_admin)
    client.get(LIST)
    one = count_queries(lambda: client.get(LIST))
    for hour in range(1, 20):
        book(cast.brand_admin, FIRST_SLOT + timedelta(hours=hour))
    assert count_queries(lambda: client.get(LIST)) == one


# --- Demo data ------------------------------------------------------------------------------------------------
def test_the_demo_lets_brand_admin_book_in_english_and_german_and_seeds_once(client_for):
    from django.contrib.auth import get_user_model

    from hub import demo as hub_demo
    from support import demo as support_demo

    class Quiet:
        def write(self, text):
            pass

    hub_demo.seed(Quiet())
    support_demo.seed(Quiet())
    support_demo.seed(Quiet())
    admin = get_user_model().objects.get(username="brand.admin")
    [seeded] = ScheduledCall.objects.filter(requester=admin)
    assert seeded.starts_at >= NOW + timedelta(days=3) and seeded.is_booked
    client = client_for(admin)
    for language in ("en", "de"):
        html = client.get(CREATE, {"language": language}).content.decode()
        assert 'name="slot"' in html, language
    assert client.get(LIST).content.decode().count(support_demo.DEMO_CALL_SUBJECT) == 1
