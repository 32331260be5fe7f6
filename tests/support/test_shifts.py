"""Agents' weekly shifts (CB-2, SCH-1): who is on shift at an instant, in the shift's own zone,
across midnight and daylight saving time."""

from datetime import UTC, datetime, time

import pytest

from support import availability
from support.models import AgentShift, ProductArea, SupportAgent
from support.models.shifts import shift_schedules
from support.selectors import agents_on_shift
from tests.factories import StaffUserFactory


def agent(languages=("en",), areas=(), shifts=()):
    record = SupportAgent.objects.create(user=StaffUserFactory(), languages=list(languages))
    record.product_areas.set(areas)
    for weekday, starts, ends, zone in shifts:
        AgentShift.objects.create(agent=record, weekday=weekday, starts=starts, ends=ends, time_zone=zone)
    return record


DENVER_DAY = [(day, time(8), time(17), "America/Denver") for day in range(5)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "on_shift"),
    [
        # Winter (MST, UTC-7): Monday 2026-11-30 08:00 local = 15:00 UTC.
        (datetime(2026, 11, 30, 14, 59, tzinfo=UTC), False),
        (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), True),
        (datetime(2026, 12, 1, 0, 0, tzinfo=UTC), False),
        # Summer (MDT, UTC-6): Monday 2026-07-06 08:00 local = 14:00 UTC.
        (datetime(2026, 7, 6, 14, 0, tzinfo=UTC), True),
        (datetime(2026, 7, 6, 13, 59, tzinfo=UTC), False),
        # Saturday: nobody.
        (datetime(2026, 12, 5, 18, 0, tzinfo=UTC), False),
    ],
)
def test_who_is_on_shift_follows_the_shifts_zone_and_daylight_saving(moment, on_shift):
    worker = agent(shifts=DENVER_DAY)
    assert (worker in agents_on_shift(moment)) is on_shift


@pytest.mark.django_db
def test_a_night_shift_runs_past_midnight_into_the_next_day():
    night = agent(shifts=[(4, time(22), time(6), "Europe/Berlin")])  # Friday 22:00 – Saturday 06:00
    assert night in agents_on_shift(datetime(2026, 12, 5, 4, 30, tzinfo=UTC))  # Saturday 05:30 Berlin
    assert night not in agents_on_shift(datetime(2026, 12, 5, 5, 0, tzinfo=UTC))  # 06:00 Berlin


@pytest.mark.django_db
def test_language_and_product_area_narrow_who_counts():
    area = ProductArea.objects.get(slug="xm-discover")
    other = ProductArea.objects.get(slug="surveys")
    generalist = agent(languages=["en", "de"], shifts=DENVER_DAY)
    specialist = agent(languages=["en"], areas=[area], shifts=DENVER_DAY)
    moment = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert set(agents_on_shift(moment, language="de")) == {generalist}
    assert set(agents_on_shift(moment, area=area)) == {generalist, specialist}
    assert set(agents_on_shift(moment, area=other)) == {generalist}


@pytest.mark.django_db
def test_inactive_agents_are_never_on_shift():
    worker = agent(shifts=DENVER_DAY)
    worker.user.is_active = False
    worker.user.save()
    assert agents_on_shift(datetime(2026, 12, 1, 18, 0, tzinfo=UTC)) == []


def test_open_intervals_are_merged_and_clipped_across_zones():
    shifts = [
        AgentShift(weekday=0, starts=time(8), ends=time(12), time_zone="America/Denver"),
        AgentShift(weekday=0, starts=time(20), ends=time(22), time_zone="Europe/Berlin"),  # 19:00–21:00 UTC
    ]
    start = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    end = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    # Denver 08:00–12:00 MST is 15:00–19:00 UTC; Berlin's 19:00–21:00 UTC joins it.
    assert availability.open_intervals(shift_schedules(shifts), start, end) == [(start, end)]
