"""Agents' time off (CB-2, SCH-1): no shift runs on an agent's days off — local dates in their
shift zones — so scheduled-call times and callback waits leave them out; staff enter it in the
admin and are warned about calls already booked on those days."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from hub import staff
from support import callbacks as queue
from support.models import AgentTimeOff, ProductArea
from support.scheduling import calls_during_time_off, free_slots
from support.selectors import agents_with_shifts, shift_intervals
from tests.factories import staff_member

from .test_scheduled_call_slots import agent, book, utc

pytestmark = pytest.mark.django_db
WEEKDAYS_DENVER = [(day, time(8), time(17), "America/Denver") for day in range(5)]
# Thursday 2026-12-03, 07:00 in Denver.
THURSDAY = utc(2026, 12, 3, 14)


def local_days(found, zone="America/Denver"):
    from zoneinfo import ZoneInfo

    return sorted({slot.starts_at.astimezone(ZoneInfo(zone)).date() for slot in found})


def test_no_scheduled_call_times_on_an_agents_days_off():
    area = ProductArea.objects.get(slug="surveys")
    away = agent(shifts=WEEKDAYS_DENVER)
    AgentTimeOff.objects.create(agent=away, first_day=date(2026, 12, 7), last_day=date(2026, 12, 8), reason="Leave")
    found = free_slots(area, "en", now=THURSDAY)
    days = local_days(found)
    assert date(2026, 12, 4) in days and date(2026, 12, 9) in days
    assert date(2026, 12, 7) not in days and date(2026, 12, 8) not in days

    # A colleague on shift those days keeps them bookable, with only the colleague's id.
    there = agent(shifts=WEEKDAYS_DENVER)
    monday = [slot for slot in free_slots(area, "en", now=THURSDAY) if slot.starts_at.date() == date(2026, 12, 7)]
    assert monday and all(slot.agent_ids == (there.pk,) for slot in monday)


def test_a_day_off_is_a_local_date_in_the_shift_zone():
    """Tokyo 09:00–17:00 is 00:00–08:00 UTC: a day off on the 8th in Tokyo takes that UTC morning."""
    worker = agent(languages=("ja",), shifts=[(day, time(9), time(17), "Asia/Tokyo") for day in range(5)])
    AgentTimeOff.objects.create(agent=worker, first_day=date(2026, 12, 8), last_day=date(2026, 12, 8))
    (loaded,) = agents_with_shifts(languages=["ja"], since=THURSDAY)
    intervals = shift_intervals(loaded, utc(2026, 12, 7, 12), utc(2026, 12, 9, 12))
    assert intervals == [(utc(2026, 12, 9, 0), utc(2026, 12, 9, 8))]


def test_time_off_that_has_ended_changes_nothing():
    worker = agent(shifts=WEEKDAYS_DENVER)
    AgentTimeOff.objects.create(agent=worker, first_day=date(2026, 11, 2), last_day=date(2026, 11, 6))
    (loaded,) = agents_with_shifts(since=THURSDAY)
    assert list(loaded.time_off.all()) == []  # not even loaded
    assert shift_intervals(loaded, utc(2026, 12, 3, 0), utc(2026, 12, 4, 0)) == [(utc(2026, 12, 3, 15), utc(2026, 12, 4, 0))]


@time_machine.travel(THURSDAY, tick=False)
def test_a_callback_waits_for_the_agent_back_from_time_off():
    """The only German agent is off today and tomorrow: German waits until Monday's shift; the
    English agent is unaffected."""
    area = ProductArea.objects.get(slug="surveys")
    german = agent(languages=("de",), shifts=[(day, time(8), time(17), "Europe/Berlin") for day in range(5)])
    agent(languages=("en",), shifts=[(day, time(0), time(0), "America/Denver") for day in range(7)])
    before = queue.wait_estimates(area, ["de", "en"])
    assert before["de"].agents_on_shift == 1
    AgentTimeOff.objects.create(agent=german, first_day=date(2026, 12, 3), last_day=date(2026, 12, 4))
    after = queue.wait_estimates(area, ["de", "en"])
    assert after["de"].agents_on_shift == 0
    assert after["de"].next_shift_at == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
    assert after["en"].agents_on_shift == 1


def test_the_last_day_cannot_come_before_the_first(client_for):
    worker = agent(shifts=WEEKDAYS_DENVER)
    lead = staff_member(staff.SUPPORT_AGENTS)
    response = client_for(lead).post(
        reverse("admin:support_supportagent_change", args=[worker.pk]),
        admin_form(worker, time_off=[("2026-12-10", "2026-12-08", "")]),
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not AgentTimeOff.objects.exists()


# --- the admin ---------------------------------------------------------------------------------
def admin_form(worker, *, time_off=()):
    shifts = list(worker.shifts.all())
    data = {"user": worker.user_id, "languages": list(worker.languages), "product_areas": []}
    data.update({"shifts-TOTAL_FORMS": len(shifts), "shifts-INITIAL_FORMS": len(shifts),
                 "shifts-MIN_NUM_FORMS": 0, "shifts-MAX_NUM_FORMS": 1000})
    for index, shift in enumerate(shifts):
        data.update({f"shifts-{index}-id": shift.pk, f"shifts-{index}-agent": worker.pk,
                     f"shifts-{index}-weekday": shift.weekday, f"shifts-{index}-starts": shift.starts.isoformat(),
                     f"shifts-{index}-ends": shift.ends.isoformat(), f"shifts-{index}-time_zone": shift.time_zone})
    data.update({"time_off-TOTAL_FORMS": len(time_off), "time_off-INITIAL_FORMS": 0,
                 "time_off-MIN_NUM_FORMS": 0, "time_off-MAX_NUM_FORMS": 1000})
    for index, (first, last, reason) in enumerate(time_off):
        data.update({f"time_off-{index}-agent": worker.pk, f"time_off-{index}-first_day": first,
                     f"time_off-{index}-last_day": last, f"time_off-{index}-reason": reason})
    return data


@time_machine.travel(THURSDAY, tick=False)
def test_a_support_lead_enters_time_off_and_is_warned_about_calls_booked_then(client_for):
    worker = agent(shifts=WEEKDAYS_DENVER)
    clash = book(worker, utc(2026, 12, 8, 16))  # Tuesday 09:00 in Denver
    book(worker, utc(2026, 12, 9, 16))  # Wednesday: not off
    client = client_for(staff_member(staff.SUPPORT_AGENTS))
    url = reverse("admin:support_supportagent_change", args=[worker.pk])
    assert "time_off-TOTAL_FORMS" in client.get(url).content.decode()
    response = client.post(url, admin_form(worker, time_off=[("2026-12-07", "2026-12-08", "Leave")]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"1 booked call falls on this agent&#x27;s time off ({clash.ticket.reference})" in html
    assert AgentTimeOff.objects.get(agent=worker).reason == "Leave"
    assert calls_during_time_off(worker) == [clash]


def test_customer_success_cannot_change_agents(client_for):
    worker = agent(shifts=WEEKDAYS_DENVER)
    response = client_for(staff_member(staff.CUSTOMER_SUCCESS)).post(
        reverse("admin:support_supportagent_change", args=[worker.pk]),
        admin_form(worker, time_off=[("2026-12-07", "2026-12-08", "")]),
    )
    assert response.status_code == 403
    assert not AgentTimeOff.objects.exists()
