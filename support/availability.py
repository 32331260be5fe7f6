"""The availability engine (SUP-5): which contact channels are open for a customer, now, and when
each one next opens.

Pure: plain data in, plain data out. The caller loads hours, holidays and the chat agents online
from the database into the dataclasses below (`support.selectors.availability_inputs`); nothing
here touches the ORM, the clock or the request, so every rule is tested with a table of instants.

Time: every schedule carries an IANA zone and is expanded day by day in that zone, then converted
to UTC, so a window "Monday 07:00 America/Denver" follows daylight saving time on its own. Windows
from several schedules (e.g. Spanish: CET hours plus US business hours) are merged; holidays close
a schedule for a whole local date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .choices import CHANNEL_ORDER, ENGLISH, Channel, LicenseType

# How far ahead "opens <day, time>" looks. Two weeks covers long holiday closures.
HORIZON = timedelta(days=15)

# Which channels each license includes. Scheduled calls also need Success packages; free
# accounts get the assistant and the Community only.
LICENSE_CHANNELS = {
    LicenseType.FREE: frozenset(),
    LicenseType.SELF_SERVICE: frozenset({Channel.CHAT, Channel.EMAIL}),
    LicenseType.ENTERPRISE: frozenset({Channel.CHAT, Channel.EMAIL, Channel.PHONE, Channel.SCHEDULED_CALL}),
}

# ENT-1: channels Enterprise Support covers for designated users (phone only where the area says so).
ENTERPRISE_CHANNELS = frozenset({Channel.EMAIL, Channel.SCHEDULED_CALL})


class State:
    OPEN = "open"
    CLOSED = "closed"  # offered to this customer, but not at this instant
    UNAVAILABLE = "unavailable"  # not offered to this customer at all


class Reason:
    NOT_IN_LICENSE = "not_in_license"
    NEEDS_SUCCESS_PACKAGE = "needs_success_package"
    NOT_FOR_AREA = "not_for_area"
    LANGUAGE_NOT_OFFERED = "language_not_offered"
    OUTSIDE_HOURS = "outside_hours"
    NO_AGENT_ONLINE = "no_agent_online"


@dataclass(frozen=True)
class Window:
    """Open on `weekday` (0 = Monday) from `opens` to `closes`, local time. A `closes` at or
    before `opens` ends on the next day: 00:00–00:00 is the whole day, 22:00–02:00 spans midnight."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Schedule:
    """When one channel is staffed in some languages. `enterprise` schedules apply to users
    designated for Enterprise Support only."""

    channel: str
    languages: frozenset[str]
    time_zone: str
    windows: tuple[Window, ...] = ()
    always_open: bool = False
    holidays: frozenset[date] = frozenset()
    enterprise: bool = False
    name: str = ""


@dataclass(frozen=True)
class Area:
    """What a product area offers (SUP-3)."""

    slug: str
    channels: frozenset[str]
    chat_languages: frozenset[str] = frozenset({ENGLISH})
    enterprise_phone: bool = False


@dataclass(frozen=True)
class Customer:
    license_type: str
    success_packages: int = 0
    enterprise_designated: bool = False


@dataclass(frozen=True)
class Opening:
    """A set of schedules at one instant. `closes_at` None while open: open beyond the horizon
    (24/7). `opens_at` None while closed: no opening within the horizon."""

    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None


@dataclass(frozen=True)
class ChannelStatus:
    channel: str
    language: str
    state: str
    reason: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    always_open: bool = False
    enterprise: bool = False  # shown with the "Enterprise Support" label (ENT-1)
    enterprise_open: bool = False  # a request now goes to the Enterprise queue (ENT-2)
    english: ChannelStatus | None = field(default=None, compare=False)  # the English alternative

    @property
    def is_open(self):
        return self.state == State.OPEN


def _window_intervals(schedule: Schedule, start: datetime, end: datetime) -> Iterable[tuple[datetime, datetime]]:
    """The schedule's open intervals (UTC) that may touch [start, end)."""
    zone = ZoneInfo(schedule.time_zone)
    windows = (
        tuple(Window(day, time(0), time(0)) for day in range(7)) if schedule.always_open else schedule.windows
    )
    by_day: dict[int, list[Window]] = {}
    for window in windows:
        by_day.setdefault(window.weekday, []).append(window)
    # Start a day early: yesterday's window may run past midnight into today.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date()
    while day <= last_day:
        if day not in schedule.holidays:
            for window in by_day.get(day.weekday(), ()):
                opens = datetime.combine(day, window.opens, tzinfo=zone)
                closes_day = day if window.closes > window.opens else day + timedelta(days=1)
                closes = datetime.combine(closes_day, window.closes, tzinfo=zone)
                yield opens.astimezone(UTC), closes.astimezone(UTC)
        day += timedelta(days=1)


def _merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for opens, closes in sorted(intervals):
        if closes <= opens:
            continue
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return [(opens, closes) for opens, closes in merged]


def open_intervals(schedules: Iterable[Schedule], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The merged open intervals (UTC) of `schedules` inside [start, end), clipped to it."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    intervals = []
    for schedule in schedules:
        intervals.extend(_window_intervals(schedule, start, end))
    return [
        (max(opens, start), min(closes, end)) for opens, closes in _merged(intervals) if closes > start and opens < end
    ]


def opening(schedules: Iterable[Schedule], now: datetime) -> Opening:
    """Whether any of `schedules` is open at `now`, until when, or when it next opens."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    horizon_end = now + HORIZON
    intervals = []
    for schedule in schedules:
        intervals.extend(_window_intervals(schedule, now - timedelta(days=1), horizon_end))
    for opens, closes in _merged(intervals):
        if closes <= now:
            continue
        if opens <= now:
            # Still open at the horizon's edge: open around the clock, no closing time to show.
            return Opening(True, closes_at=None if closes >= horizon_end else closes)
        if opens < horizon_end:
            return Opening(False, opens_at=opens)
        break
    return Opening(False)


def _offered(channel: str, customer: Customer, area: Area, language: str) -> str:
    """'' when the channel is offered to this customer for this area and language, else why not."""
    if channel not in LICENSE_CHANNELS.get(customer.license_type, frozenset()):
        return Reason.NOT_IN_LICENSE
    if channel == Channel.SCHEDULED_CALL and customer.success_packages < 1:
        return Reason.NEEDS_SUCCESS_PACKAGE
    if channel not in area.channels:
        return Reason.NOT_FOR_AREA
    if channel == Channel.CHAT and language not in area.chat_languages:
        return Reason.LANGUAGE_NOT_OFFERED
    return ""


def _enterprise_covers(channel: str, customer: Customer, area: Area) -> bool:
    if not customer.enterprise_designated:
        return False
    return channel in ENTERPRISE_CHANNELS or (channel == Channel.PHONE and area.enterprise_phone)


def channel_status(
    channel: str,
    *,
    customer: Customer,
    area: Area,
    language: str,
    now: datetime,
    schedules: Iterable[Schedule],
    chat_languages_online: frozenset[str] = frozenset(),
) -> ChannelStatus:
    """One channel for one customer, area and support language at the instant `now`."""
    reason = _offered(channel, customer, area, language)
    if reason:
        return ChannelStatus(channel, language, State.UNAVAILABLE, reason)
    enterprise = _enterprise_covers(channel, customer, area)
    if channel == Channel.SCHEDULED_CALL:
        # Booking is possible at any time; the slots themselves come from agents' shifts (SCH-1).
        return ChannelStatus(channel, language, State.OPEN, always_open=True, enterprise=enterprise,
                             enterprise_open=enterprise)
    schedules = [s for s in schedules if s.channel == channel and language in s.languages]
    general = [s for s in schedules if not s.enterprise]
    dedicated = [s for s in schedules if s.enterprise] if enterprise else []
    if not general and not dedicated:
        return ChannelStatus(channel, language, State.UNAVAILABLE, Reason.LANGUAGE_NOT_OFFERED)
    # ENT-2: outside Enterprise hours, a designated user's request goes to general support.
    enterprise_open = bool(dedicated) and opening(dedicated, now).is_open
    now_open = opening(general + dedicated, now)
    if now_open.is_open and channel == Channel.CHAT and language not in chat_languages_online:
        return ChannelStatus(channel, language, State.CLOSED, Reason.NO_AGENT_ONLINE, enterprise=enterprise)
    if now_open.is_open:
        return ChannelStatus(channel, language, State.OPEN, closes_at=now_open.closes_at,
                             always_open=now_open.closes_at is None, enterprise=enterprise,
                             enterprise_open=enterprise_open)
    return ChannelStatus(channel, language, State.CLOSED, Reason.OUTSIDE_HOURS, opens_at=now_open.opens_at,
                         enterprise=enterprise)


def evaluate(
    *,
    customer: Customer,
    area: Area,
    language: str,
    now: datetime,
    schedules: Iterable[Schedule],
    chat_languages_online: frozenset[str] = frozenset(),
) -> list[ChannelStatus]:
    """Every channel, in display order. When a channel is not open in the chosen language but the
    customer chose another language than English, `english` carries the English alternative."""
    schedules = tuple(schedules)
    statuses = []
    for channel in CHANNEL_ORDER:
        args = dict(customer=customer, area=area, now=now, schedules=schedules,
                    chat_languages_online=chat_languages_online)
        status = channel_status(channel, language=language, **args)
        if not status.is_open and language != ENGLISH and status.reason not in (
            Reason.NOT_IN_LICENSE, Reason.NEEDS_SUCCESS_PACKAGE, Reason.NOT_FOR_AREA
        ):
            english = channel_status(channel, language=ENGLISH, **args)
            status = replace(status, english=english)
        statuses.append(status)
    return statuses


def enterprise_opening(schedules: Iterable[Schedule], channel: str, language: str, now: datetime) -> Opening | None:
    """ENT-2: the Enterprise Support hours of one channel and language at `now`; None when
    Enterprise Support has no hours in that language (such requests stay with general support)."""
    dedicated = [s for s in schedules if s.enterprise and s.channel == channel and language in s.languages]
    return opening(dedicated, now) if dedicated else None
