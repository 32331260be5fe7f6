"""Scheduled-call slots (SCH-1): which call times can be booked, from agents' shifts and the calls
already booked.

Pure, like the availability engine: plain data in, plain data out. Each agent's shifts arrive as
merged UTC intervals (`availability.open_intervals`, which follows each shift's zone and daylight
saving time); booked calls as UTC intervals per agent.

Slots lie on one fixed grid: multiples of the call length counted from the Unix epoch in UTC, so
a 30-minute grid starts at :00 and :30 in every zone with a whole- or half-hour offset. A slot is
offered when at least one agent's shift covers it completely and none of that agent's booked calls
overlaps it. The fixed grid is what makes "the same slot" well defined for the booking constraint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Slot:
    """One bookable call time and the agents free for it (ids, ascending)."""

    starts_at: datetime
    ends_at: datetime
    agent_ids: tuple[int, ...]


def on_grid(moment: datetime, length: timedelta) -> bool:
    return (moment - EPOCH) % length == timedelta(0)


def grid_ceil(moment: datetime, length: timedelta) -> datetime:
    """The first grid point at or after `moment`."""
    remainder = (moment - EPOCH) % length
    return moment if not remainder else moment + (length - remainder)


def booking_window(now: datetime, *, lead: timedelta, days_ahead: int, length: timedelta) -> Interval:
    """[first bookable start, last bookable end): from the lead time on, up to `days_ahead` days."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    return grid_ceil(now + lead, length), now + timedelta(days=days_ahead)


def _starts_inside(intervals: Iterable[Interval], start: datetime, end: datetime, length: timedelta):
    for opens, closes in intervals:
        slot = grid_ceil(max(opens, start), length)
        last_end = min(closes, end)
        while slot + length <= last_end:
            yield slot
            slot += length


def free_slots(
    *,
    shifts: Mapping[int, Iterable[Interval]],
    booked: Mapping[int, Iterable[Interval]],
    start: datetime,
    end: datetime,
    length: timedelta,
) -> list[Slot]:
    """Every grid slot inside [start, end) that some agent can take, in time order.

    `shifts`: agent id → the agent's on-shift intervals (UTC). `booked`: agent id → the agent's
    booked calls (UTC); a booking overlapping a slot by any amount takes it."""
    agents_by_start: dict[datetime, list[int]] = {}
    for agent_id, intervals in shifts.items():
        taken = sorted(booked.get(agent_id, ()))
        for slot in _starts_inside(intervals, start, end, length):
            slot_end = slot + length
            if any(opens < slot_end and closes > slot for opens, closes in taken):
                continue
            agents_by_start.setdefault(slot, []).append(agent_id)
    return [
        Slot(slot, slot + length, tuple(sorted(set(agent_ids))))
        for slot, agent_ids in sorted(agents_by_start.items())
    ]


def by_local_date(slots: Iterable[Slot], time_zone: str) -> dict[date, list[Slot]]:
    """Slots grouped by their start's date in `time_zone` (the viewer's), dates in order."""
    zone = ZoneInfo(time_zone)
    grouped: dict[date, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: s.starts_at):
        grouped.setdefault(slot.starts_at.astimezone(zone).date(), []).append(slot)
    return grouped


def slot_key(moment: datetime) -> str:
    """A slot's start as form value: UTC, minute precision ("2026-12-03T15:00Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def parse_slot_key(value: str) -> datetime | None:
    try:
        return datetime.strptime(value or "", "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
