"""SCH-1 slots: inside agents' shifts (their zone, daylight saving time, past midnight), on a fixed
grid, from the lead time on, up to the horizon, minus calls already booked; grouped by the
viewer's local date."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import override_settings

from support import slots
from support.models import AgentShift, AgentTimeOff, ProductArea, ScheduledCall, SupportAgent
from support.scheduling import free_slots
from tests.factories import StaffUserFactory, TicketFactory, UserFactory

HALF_HOUR = timedelta(minutes=30)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def agent(languages=("en",), areas=(), shifts=()):
    record = SupportAgent.objects.create(user=StaffUserFactory(), languages=list(languages))
    record.product_areas.set(areas)
    for weekday, starts, ends, zone in shifts:
        AgentShift.objects.create(agent=record, weekday=weekday, starts=starts, ends=ends, time_zone=zone)
    return record


def book(worker, starts_at, minutes=30, status=ScheduledCall.Status.BOOKED):
    ticket = TicketFactory(channel="scheduled_call")
    return ScheduledCall.objects.create(
        ticket=ticket, organization=ticket.organization, requester=ticket.requester,
        product_area=ticket.product_area, agent=worker, language="en", starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes), status=status, request_token=uuid.uuid4(),
    )


def starts(found):
    return [slot.starts_at for slot in found]


# --- The pure engine ---------------------------------------------------------------------------
def test_slots_lie_on_the_utc_grid_and_fit_the_shift_completely():
    # A shift 08:10–10:00 UTC: the first whole slot on the grid is 08:30; 09:30–10:00 is the last.
    found = slots.free_slots(shifts={1: [(utc(2026, 12, 3, 8, 10), utc(2026, 12, 3, 10, 0))]}, booked={},
                             start=utc(2026, 12, 3, 0, 0), end=utc(2026, 12, 4), length=HALF_HOUR)
    assert starts(found) == [utc(2026, 12, 3, 8, 30), utc(2026, 12, 3, 9, 0), utc(2026, 12, 3, 9, 30)]
    assert all(slot.ends_at - slot.starts_at == HALF_HOUR for slot in found)


def test_a_slot_lists_every_free_agent_and_a_booking_takes_only_its_agents_slot():
    shift = [(utc(2026, 12, 3, 9), utc(2026, 12, 3, 10))]
    found = slots.free_slots(shifts={7: shift, 3: shift}, booked={7: [(utc(2026, 12, 3, 9), utc(2026, 12, 3, 9, 30))]},
                             start=utc(2026, 12, 3), end=utc(2026, 12, 4), length=HALF_HOUR)
    assert [(slot.starts_at, slot.agent_ids) for slot in found] == [
        (utc(2026, 12, 3, 9), (3,)), (utc(2026, 12, 3, 9, 30), (3, 7)),
    ]


def test_a_booking_overlapping_a_slot_partly_takes_it_too():
    # A call booked on another grid (e.g. before the call length changed) still blocks both halves.
    found = slots.free_slots(shifts={1: [(utc(2026, 12, 3, 9), utc(2026, 12, 3, 10))]},
                             booked={1: [(utc(2026, 12, 3, 9, 15), utc(2026, 12, 3, 9, 45))]},
                             start=utc(2026, 12, 3), end=utc(2026, 12, 4), length=HALF_HOUR)
    assert found == []


def test_the_booking_window_starts_after_the_lead_time_on_the_grid():
    start, end = slots.booking_window(utc(2026, 12, 3, 9, 10), lead=timedelta(hours=2), days_ahead=14,
                                      length=HALF_HOUR)
    assert start == utc(2026, 12, 3, 11, 30)
    assert end == utc(2026, 12, 17, 9, 10)
    assert slots.booking_window(utc(2026, 12, 3, 9, 0), lead=timedelta(hours=2), days_ahead=1,
                                length=HALF_HOUR)[0] == utc(2026, 12, 3, 11, 0)


def test_slots_are_grouped_by_the_viewers_local_date():
    found = slots.free_slots(shifts={1: [(utc(2026, 12, 3, 22), utc(2026, 12, 4, 1))]}, booked={},
                             start=utc(2026, 12, 3), end=utc(2026, 12, 5), length=HALF_HOUR)
    tokyo = slots.by_local_date(found, "Asia/Tokyo")  # UTC+9: all on Friday the 4th
    assert list(tokyo) == [date(2026, 12, 4)]
    los_angeles = slots.by_local_date(found, "America/Los_Angeles")  # UTC-8: Thursday afternoon
    assert list(los_angeles) == [date(2026, 12, 3)]
    berlin = slots.by_local_date(found, "Europe/Berlin")  # UTC+1: 23:00, 23:30 Thursday; then Friday
    assert {day: len(day_slots) for day, day_slots in berlin.items()} == {date(2026, 12, 3): 2, date(2026, 12, 4): 4}


def test_slot_keys_round_trip_and_reject_garbage():
    moment = utc(2026, 12, 3, 15, 30)
    assert slots.slot_key(moment) == "2026-12-03T15:30Z"
    assert slots.parse_slot_key("2026-12-03T15:30Z") == moment
    assert slots.parse_slot_key("tomorrow") is None
    assert slots.parse_slot_key("") is None


# --- From the database: shifts, languages, areas, bookings --------------------------------------
pytestmark_db = pytest.mark.django_db


@pytestmark_db
@override_settings(HUB_SCHEDULED_CALL_LEAD_MINUTES=120, HUB_SCHEDULED_CALL_DAYS_AHEAD=7)
def test_slots_follow_the_shifts_zone_through_the_daylight_saving_change():
    # Denver leaves daylight saving time on Sunday 2026-11-01: 08:00 is 14:00 UTC on Friday the
    # 30th (MDT) and 15:00 UTC on Monday the 2nd (MST).
    agent(shifts=[(day, time(8), time(10), "America/Denver") for day in range(5)])
    area = ProductArea.objects.get(slug="surveys")
    found = free_slots(area, "en", now=utc(2026, 10, 30, 0, 0))
    friday = [s for s in starts(found) if s.date() == date(2026, 10, 30)]
    monday = [s for s in starts(found) if s.date() == date(2026, 11, 2)]
    assert friday == [utc(2026, 10, 30, 14), utc(2026, 10, 30, 14, 30), utc(2026, 10, 30, 15), utc(2026, 10, 30, 15, 30)]
    assert monday == [utc(2026, 11, 2, 15), utc(2026, 11, 2, 15, 30), utc(2026, 11, 2, 16), utc(2026, 11, 2, 16, 30)]
    assert not [s for s in starts(found) if s.weekday() in (5, 6)]
    # Shown in Berlin (already on CET since 25 October): 15:00 on Friday, 16:00 on Monday.
    berlin = slots.by_local_date(found, "Europe/Berlin")
    assert berlin[date(2026, 10, 30)][0].starts_at.astimezone(slots.ZoneInfo("Europe/Berlin")).time() == time(15)
    assert berlin[date(2026, 11, 2)][0].starts_at.astimezone(slots.ZoneInfo("Europe/Berlin")).time() == time(16)


@pytestmark_db
@override_settings(HUB_SCHEDULED_CALL_LEAD_MINUTES=120, HUB_SCHEDULED_CALL_DAYS_AHEAD=3)
def test_a_night_shift_offers_slots_on_both_sides_of_midnight():
    agent(shifts=[(4, time(23), time(1), "Europe/Berlin")])  # Friday 23:00 – Saturday 01:00 CET
    area = ProductArea.objects.get(slug="surveys")
    found = free_slots(area, "en", now=utc(2026, 12, 3, 12))
    assert starts(found) == [utc(2026, 12, 4, 22), utc(2026, 12, 4, 22, 30), utc(2026, 12, 4, 23), utc(2026, 12, 4, 23, 30)]
    berlin = slots.by_local_date(found, "Europe/Berlin")
    assert [len(day_slots) for day_slots in berlin.values()] == [2, 2]
    assert list(berlin) == [date(2026, 12, 4), date(2026, 12, 5)]


@pytestmark_db
@override_settings(HUB_SCHEDULED_CALL_LEAD_MINUTES=120, HUB_SCHEDULED_CALL_DAYS_AHEAD=1)
def test_nothing_before_the_lead_time_nor_beyond_the_horizon():
    agent(shifts=[(day, time(0), time(0), "UTC") for day in range(7)])  # around the clock
    area = ProductArea.objects.get(slug="surveys")
    found = free_slots(area, "en", now=utc(2026, 12, 3, 9, 10))
    assert found[0].starts_at == utc(2026, 12, 3, 11, 30)
    assert found[-1].ends_at <= utc(2026, 12, 4, 9, 10)
    assert found[-1].starts_at == utc(2026, 12, 4, 8, 30)


@pytestmark_db
@override_settings(HUB_SCHEDULED_CALL_LEAD_MINUTES=0, HUB_SCHEDULED_CALL_DAYS_AHEAD=1)
def test_booked_calls_remove_their_agents_slot_and_cancelled_ones_free_it():
    shifts = [(3, time(9), time(10), "UTC")]  # Thursday 09:00–10:00 UTC
    first, second = agent(shifts=shifts), agent(shifts=shifts)
    area = ProductArea.objects.get(slug="surveys")
    now = utc(2026, 12, 3, 0, 0)
    book(first, utc(2026, 12, 3, 9))
    book(second, utc(2026, 12, 3, 9))
    book(first, utc(2026, 12, 3, 9, 30), status=ScheduledCall.Status.CANCELLED)
    found = free_slots(area, "en", now=now)
    assert [(slot.starts_at, slot.agent_ids) for slot in found] == [
        (utc(2026, 12, 3, 9, 30), tuple(sorted((first.pk, second.pk)))),
    ]


@pytestmark_db
@override_settings(HUB_SCHEDULED_CALL_LEAD_MINUTES=0, HUB_SCHEDULED_CALL_DAYS_AHEAD=1)
def test_only_agents_speaking_the_language_and_covering_the_area_count():
    surveys = ProductArea.objects.get(slug="surveys")
    discover = ProductArea.objects.get(slug="xm-discover")
    german = agent(languages=["de", "en"], shifts=[(3, time(9), time(10), "UTC")])
    specialist = agent(languages=["en"], areas=[discover], shifts=[(3, time(14), time(15), "UTC")])
    inactive = agent(languages=["de"], shifts=[(3, time(16), time(17), "UTC")])
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    now = utc(2026, 12, 3, 0, 0)
    assert {slot.agent_ids for slot in free_slots(surveys, "de", now=now)} == {(german.pk,)}
    assert {slot.agent_ids for slot in free_slots(surveys, "en", now=now)} == {(german.pk,)}
    assert {slot.agent_ids for slot in free_slots(discover, "en", now=now)} == {(german.pk,), (specialist.pk,)}
    assert free_slots(surveys, "ja", now=now) == []


@pytestmark_db
def test_loading_slots_costs_four_queries_however_many_agents_bookings_and_days_off(django_assert_max_num_queries):
    area = ProductArea.objects.get(slug="surveys")
    for _ in range(20):
        worker = agent(shifts=[(day, time(8), time(17), "America/Denver") for day in range(5)])
        book(worker, utc(2026, 12, 8, 16))
        AgentTimeOff.objects.create(agent=worker, first_day=date(2026, 12, 10), last_day=date(2026, 12, 11))
    UserFactory()
    with django_assert_max_num_queries(4):  # agents, shifts, time off, booked calls
        found = free_slots(area, "en", now=utc(2026, 12, 3, 0, 0))
    assert found
