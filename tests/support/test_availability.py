"""SUP-5: the availability engine at every edge — a table of instants, no database.

The schedules below are the ones the seed migration installs (tests/support/test_seed_data.py
checks that the database yields the same answers)."""

from datetime import UTC, date, datetime, time

import pytest

from support import availability as av
from support.availability import Reason, State
from support.choices import Channel

T = time
WEEKDAYS = range(5)


def windows(opens, closes, days=WEEKDAYS):
    return tuple(av.Window(day, opens, closes) for day in days)


CHAT = av.Schedule(Channel.CHAT, frozenset({"en", "es"}), "America/Denver", windows(T(7), T(16, 30)))
EMAIL_EN = av.Schedule(Channel.EMAIL, frozenset({"en"}), "UTC", always_open=True)
PHONE_EN = av.Schedule(Channel.PHONE, frozenset({"en"}), "UTC", always_open=True)
EUROPEAN = frozenset({"es", "pt-br", "de", "fr", "it", "nl"})
SCHEDULES = [CHAT, EMAIL_EN, PHONE_EN]
for _channel in (Channel.EMAIL, Channel.PHONE):
    SCHEDULES += [
        av.Schedule(_channel, EUROPEAN, "Europe/Berlin", windows(T(8), T(16, 30))),
        av.Schedule(_channel, frozenset({"es", "pt-br"}), "America/Denver", windows(T(8), T(17))),
        av.Schedule(_channel, frozenset({"ja"}), "Asia/Tokyo", windows(T(9), T(17))),
        av.Schedule(
            _channel, frozenset({"en"}), "America/Denver",
            (av.Window(6, T(17), T(0)),) + windows(T(0), T(0), range(4)) + (av.Window(4, T(0), T(17)),),
            enterprise=True,
        ),
    ]

ALL_CHANNELS = frozenset(Channel.values)
SURVEYS = av.Area("surveys", ALL_CHANNELS, frozenset({"en", "es"}), enterprise_phone=True)
DASHBOARDS = av.Area("cx-dashboards", ALL_CHANNELS, frozenset({"en"}))
STATS = av.Area("stats-crosstabs", ALL_CHANNELS - {Channel.SCHEDULED_CALL}, frozenset({"en"}))
DISCOVER = av.Area("xm-discover", frozenset({Channel.EMAIL, Channel.PHONE, Channel.SCHEDULED_CALL}), frozenset())
ENTERPRISE = av.Customer("enterprise", success_packages=0)
WITH_PACKAGE = av.Customer("enterprise", success_packages=2)
DESIGNATED = av.Customer("enterprise", success_packages=1, enterprise_designated=True)
SELF_SERVICE = av.Customer("self_service")
FREE = av.Customer("free")
EVERYONE_ONLINE = frozenset({"en", "es"})


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def status(channel, now, *, language="en", area=SURVEYS, customer=ENTERPRISE, online=EVERYONE_ONLINE,
           schedules=SCHEDULES):
    return av.channel_status(channel, customer=customer, area=area, language=language, now=now,
                             schedules=schedules, chat_languages_online=online)


# (case, channel, language, instant, open?, closes at / next opens at)
EDGES = [
    # Chat: Monday–Friday 07:00–16:30 Mountain Time (MST = UTC-7 in November).
    ("chat Friday 16:29 MT", Channel.CHAT, "en", utc(2026, 11, 20, 23, 29), True, utc(2026, 11, 20, 23, 30)),
    ("chat Friday 16:30 MT", Channel.CHAT, "en", utc(2026, 11, 20, 23, 30), False, utc(2026, 11, 23, 14, 0)),
    ("chat Saturday", Channel.CHAT, "en", utc(2026, 11, 21, 18, 0), False, utc(2026, 11, 23, 14, 0)),
    ("chat Monday 06:59 MT", Channel.CHAT, "en", utc(2026, 11, 23, 13, 59), False, utc(2026, 11, 23, 14, 0)),
    ("chat Monday 07:00 MT", Channel.CHAT, "en", utc(2026, 11, 23, 14, 0), True, utc(2026, 11, 23, 23, 30)),
    # US DST starts Sunday 2026-03-08: Monday 07:00 MDT is 13:00 UTC, an hour earlier than in winter.
    ("chat Friday before US spring DST", Channel.CHAT, "en", utc(2026, 3, 6, 23, 30), False, utc(2026, 3, 9, 13, 0)),
    ("chat Monday 06:59 MDT", Channel.CHAT, "en", utc(2026, 3, 9, 12, 59), False, utc(2026, 3, 9, 13, 0)),
    ("chat Monday 07:00 MDT", Channel.CHAT, "en", utc(2026, 3, 9, 13, 0), True, utc(2026, 3, 9, 22, 30)),
    # US DST ends Sunday 2026-11-01: Friday closes 16:30 MDT (22:30 UTC), Monday opens 07:00 MST (14:00 UTC).
    ("chat Friday 16:29 MDT", Channel.CHAT, "en", utc(2026, 10, 30, 22, 29), True, utc(2026, 10, 30, 22, 30)),
    ("chat Friday 16:30 MDT", Channel.CHAT, "en", utc(2026, 10, 30, 22, 30), False, utc(2026, 11, 2, 14, 0)),
    # German email and phone: 08:00–16:30 CET/CEST (Europe/Berlin).
    ("German email 07:59 CET", Channel.EMAIL, "de", utc(2026, 11, 24, 6, 59), False, utc(2026, 11, 24, 7, 0)),
    ("German email 08:00 CET", Channel.EMAIL, "de", utc(2026, 11, 24, 7, 0), True, utc(2026, 11, 24, 15, 30)),
    ("German phone 16:29 CET", Channel.PHONE, "de", utc(2026, 11, 24, 15, 29), True, utc(2026, 11, 24, 15, 30)),
    ("German phone 16:30 CET", Channel.PHONE, "de", utc(2026, 11, 24, 15, 30), False, utc(2026, 11, 25, 7, 0)),
    ("French email Friday 16:30 CET", Channel.EMAIL, "fr", utc(2026, 11, 27, 15, 30), False, utc(2026, 11, 30, 7, 0)),
    ("Italian email 08:00 CET", Channel.EMAIL, "it", utc(2026, 11, 24, 7, 0), True, utc(2026, 11, 24, 15, 30)),
    ("Dutch phone 07:59 CET", Channel.PHONE, "nl", utc(2026, 11, 24, 6, 59), False, utc(2026, 11, 24, 7, 0)),
    # EU DST starts Sunday 2026-03-29: Monday 08:00 CEST is 06:00 UTC.
    ("German email Friday before EU spring DST", Channel.EMAIL, "de", utc(2026, 3, 27, 15, 30), False,
     utc(2026, 3, 30, 6, 0)),
    ("German email Monday 07:59 CEST", Channel.EMAIL, "de", utc(2026, 3, 30, 5, 59), False, utc(2026, 3, 30, 6, 0)),
    ("German email Monday 08:00 CEST", Channel.EMAIL, "de", utc(2026, 3, 30, 6, 0), True, utc(2026, 3, 30, 14, 30)),
    # EU DST ends Sunday 2026-10-25: Friday closes 16:30 CEST (14:30 UTC), Monday opens 08:00 CET (07:00 UTC).
    ("German email Friday 16:29 CEST", Channel.EMAIL, "de", utc(2026, 10, 23, 14, 29), True, utc(2026, 10, 23, 14, 30)),
    ("German email Friday 16:30 CEST", Channel.EMAIL, "de", utc(2026, 10, 23, 14, 30), False, utc(2026, 10, 26, 7, 0)),
    # Between the two switches (US on summer time, Europe not yet) each zone keeps its own clock.
    ("German email in the DST gap week", Channel.EMAIL, "de", utc(2026, 3, 10, 7, 0), True, utc(2026, 3, 10, 15, 30)),
    ("chat in the DST gap week", Channel.CHAT, "en", utc(2026, 3, 10, 13, 0), True, utc(2026, 3, 10, 22, 30)),
    # Japanese: 09:00–17:00 JST (UTC+9, no DST).
    ("Japanese email 08:59 JST", Channel.EMAIL, "ja", utc(2026, 11, 23, 23, 59), False, utc(2026, 11, 24, 0, 0)),
    ("Japanese email 09:00 JST", Channel.EMAIL, "ja", utc(2026, 11, 24, 0, 0), True, utc(2026, 11, 24, 8, 0)),
    ("Japanese phone 16:59 JST", Channel.PHONE, "ja", utc(2026, 11, 24, 7, 59), True, utc(2026, 11, 24, 8, 0)),
    ("Japanese phone 17:00 JST", Channel.PHONE, "ja", utc(2026, 11, 24, 8, 0), False, utc(2026, 11, 25, 0, 0)),
    ("Japanese email Friday 17:00 JST", Channel.EMAIL, "ja", utc(2026, 11, 27, 8, 0), False, utc(2026, 11, 30, 0, 0)),
    # Spanish and Portuguese: CET hours plus US business hours (08:00–17:00 MT); they overlap, so
    # the morning in Europe runs on until 17:00 in Denver.
    ("Spanish email CET morning", Channel.EMAIL, "es", utc(2026, 11, 24, 7, 30), True, utc(2026, 11, 25, 0, 0)),
    ("Spanish email after CET, US hours", Channel.EMAIL, "es", utc(2026, 11, 24, 16, 45), True, utc(2026, 11, 25, 0, 0)),
    ("Portuguese phone 17:00 MT", Channel.PHONE, "pt-br", utc(2026, 11, 25, 0, 0), False, utc(2026, 11, 25, 7, 0)),
    ("Portuguese phone 07:59 CET", Channel.PHONE, "pt-br", utc(2026, 11, 25, 6, 59), False, utc(2026, 11, 25, 7, 0)),
]


@pytest.mark.parametrize(("case", "channel", "language", "now", "is_open", "moment"), EDGES, ids=[e[0] for e in EDGES])
def test_channel_hours_at_the_edges(case, channel, language, now, is_open, moment):
    result = status(channel, now, language=language)
    assert result.is_open is is_open, case
    if is_open:
        assert (result.state, result.closes_at) == (State.OPEN, moment)
    else:
        assert (result.state, result.reason, result.opens_at) == (State.CLOSED, Reason.OUTSIDE_HOURS, moment)


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE])
@pytest.mark.parametrize("now", [utc(2026, 11, 22, 3, 0), utc(2026, 3, 8, 9, 30), utc(2026, 10, 25, 1, 30)])
def test_english_email_and_phone_are_open_around_the_clock(channel, now):
    result = status(channel, now)
    assert (result.state, result.always_open, result.closes_at) == (State.OPEN, True, None)


@pytest.mark.parametrize(
    ("area", "language", "state", "reason"),
    [
        (SURVEYS, "es", State.OPEN, ""),
        (SURVEYS, "en", State.OPEN, ""),
        (DASHBOARDS, "es", State.UNAVAILABLE, Reason.LANGUAGE_NOT_OFFERED),
        (SURVEYS, "de", State.UNAVAILABLE, Reason.LANGUAGE_NOT_OFFERED),
        (DISCOVER, "en", State.UNAVAILABLE, Reason.NOT_FOR_AREA),
    ],
)
def test_spanish_chat_is_offered_for_the_survey_area_only(area, language, state, reason):
    result = status(Channel.CHAT, utc(2026, 11, 24, 17, 0), language=language, area=area)
    assert (result.state, result.reason) == (state, reason)


def test_chat_needs_an_agent_online_in_that_language():
    now = utc(2026, 11, 24, 17, 0)
    assert status(Channel.CHAT, now, online=frozenset({"en"})).is_open
    nobody = status(Channel.CHAT, now, online=frozenset())
    assert (nobody.state, nobody.reason) == (State.CLOSED, Reason.NO_AGENT_ONLINE)
    spanish = status(Channel.CHAT, now, language="es", online=frozenset({"en"}))
    assert spanish.reason == Reason.NO_AGENT_ONLINE


def test_a_free_account_gets_no_channel():
    statuses = av.evaluate(customer=FREE, area=SURVEYS, language="en", now=utc(2026, 11, 24, 17, 0),
                           schedules=SCHEDULES, chat_languages_online=EVERYONE_ONLINE)
    assert [(s.channel, s.state, s.reason) for s in statuses] == [
        (channel, State.UNAVAILABLE, Reason.NOT_IN_LICENSE) for channel in Channel.values
    ]


def test_self_service_gets_chat_and_email_but_no_phone_or_scheduled_call():
    now = utc(2026, 11, 24, 17, 0)
    assert status(Channel.CHAT, now, customer=SELF_SERVICE).is_open
    assert status(Channel.EMAIL, now, customer=SELF_SERVICE).is_open
    assert status(Channel.PHONE, now, customer=SELF_SERVICE).reason == Reason.NOT_IN_LICENSE
    assert status(Channel.SCHEDULED_CALL, now, customer=SELF_SERVICE).reason == Reason.NOT_IN_LICENSE


@pytest.mark.parametrize(
    ("customer", "area", "state", "reason"),
    [
        (WITH_PACKAGE, SURVEYS, State.OPEN, ""),
        (ENTERPRISE, SURVEYS, State.UNAVAILABLE, Reason.NEEDS_SUCCESS_PACKAGE),
        (WITH_PACKAGE, STATS, State.UNAVAILABLE, Reason.NOT_FOR_AREA),
        (FREE, SURVEYS, State.UNAVAILABLE, Reason.NOT_IN_LICENSE),
    ],
)
def test_scheduled_calls_are_for_success_package_users_in_areas_that_allow_them(customer, area, state, reason):
    # Saturday night: booking a call does not depend on the hours.
    result = status(Channel.SCHEDULED_CALL, utc(2026, 11, 21, 23, 0), customer=customer, area=area)
    assert (result.state, result.reason) == (state, reason)


def test_a_holiday_closes_a_schedule_for_the_local_day():
    christmas = frozenset({date(2026, 12, 25)})
    chat = av.Schedule(Channel.CHAT, CHAT.languages, CHAT.time_zone, CHAT.windows, holidays=christmas)
    # Thursday 24 December, 16:30 MST: Friday the 25th is closed, so chat opens Monday the 28th.
    result = status(Channel.CHAT, utc(2026, 12, 24, 23, 30), schedules=[chat])
    assert result.opens_at == utc(2026, 12, 28, 14, 0)
    assert status(Channel.CHAT, utc(2026, 12, 25, 17, 0), schedules=[chat]).reason == Reason.OUTSIDE_HOURS
    assert status(Channel.CHAT, utc(2026, 12, 25, 17, 0)).is_open


def test_a_language_without_hours_is_not_offered_and_english_is_suggested():
    closed_german = [s for s in SCHEDULES if "de" not in s.languages]
    statuses = av.evaluate(customer=ENTERPRISE, area=SURVEYS, language="de", now=utc(2026, 11, 24, 12, 0),
                           schedules=closed_german, chat_languages_online=EVERYONE_ONLINE)
    email = statuses[1]
    assert (email.channel, email.state, email.reason) == (Channel.EMAIL, State.UNAVAILABLE, Reason.LANGUAGE_NOT_OFFERED)
    assert email.english.is_open and email.english.language == "en"


def test_english_alternative_accompanies_a_closed_non_english_channel_only():
    evening = utc(2026, 11, 24, 20, 0)  # 21:00 CET: German closed, English open
    statuses = {s.channel: s for s in av.evaluate(customer=ENTERPRISE, area=SURVEYS, language="de", now=evening,
                                                    schedules=SCHEDULES, chat_languages_online=EVERYONE_ONLINE)}
    assert statuses[Channel.EMAIL].state == State.CLOSED and statuses[Channel.EMAIL].english.is_open
    assert statuses[Channel.SCHEDULED_CALL].english is None
    morning = utc(2026, 11, 24, 9, 0)
    statuses = av.evaluate(customer=ENTERPRISE, area=SURVEYS, language="de", now=morning, schedules=SCHEDULES)
    assert statuses[1].is_open and statuses[1].english is None


@pytest.mark.parametrize(
    ("now", "enterprise_open"),
    [
        (utc(2026, 11, 20, 23, 59), True),  # Friday 16:59 MST
        (utc(2026, 11, 21, 0, 0), False),  # Friday 17:00 MST
        (utc(2026, 11, 22, 23, 59), False),  # Sunday 16:59 MST
        (utc(2026, 11, 23, 0, 0), True),  # Sunday 17:00 MST
        (utc(2026, 3, 8, 22, 59), False),  # Sunday 16:59 MDT (UTC-6), the day US DST starts
        (utc(2026, 3, 8, 23, 0), True),  # Sunday 17:00 MDT
    ],
)
def test_enterprise_support_hours_for_designated_users(now, enterprise_open):
    result = status(Channel.EMAIL, now, customer=DESIGNATED)
    assert result.enterprise is True and result.is_open
    assert result.enterprise_open is enterprise_open
    assert status(Channel.PHONE, now, customer=DESIGNATED, area=DASHBOARDS).enterprise is False
    assert status(Channel.PHONE, now, customer=DESIGNATED, area=SURVEYS).enterprise is True
    assert status(Channel.EMAIL, now, customer=WITH_PACKAGE).enterprise is False


def test_opening_merges_adjacent_days_and_windows_that_cross_midnight():
    night = av.Schedule(Channel.PHONE, frozenset({"en"}), "Europe/Berlin",
                        (av.Window(0, T(22), T(2)), av.Window(1, T(2), T(6))))
    # Monday 23:00 CET: open until Tuesday 06:00 CET, across midnight and two windows.
    assert av.opening([night], utc(2026, 11, 23, 22, 0)) == av.Opening(True, closes_at=utc(2026, 11, 24, 5, 0))
    assert av.opening([night], utc(2026, 11, 24, 5, 0)) == av.Opening(False, opens_at=utc(2026, 11, 30, 21, 0))


def test_no_opening_within_the_horizon_is_reported_as_unknown():
    assert av.opening([], utc(2026, 11, 24, 12, 0)) == av.Opening(False)
    with pytest.raises(ValueError):
        av.opening([CHAT], datetime(2026, 11, 24, 12, 0))
