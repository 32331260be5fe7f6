"""Scheduled calls' reads (SCH-1), scoped to the viewer: who may book for an area, the free slots
(loaded in four queries, however many agents, shifts, days off and bookings), the user's own
calls, and for staff the booked calls that fall on an agent's time off."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from . import availability, slots
from .choices import Channel
from .models import ProductArea, ScheduledCall, SupportAgent
from .models.shifts import days_off
from .selectors import agents_with_shifts, customer_rules, shift_intervals


@dataclass(frozen=True)
class Rules:
    length: timedelta
    lead: timedelta
    days_ahead: int


def rules() -> Rules:
    return Rules(
        length=timedelta(minutes=settings.HUB_SCHEDULED_CALL_MINUTES),
        lead=timedelta(minutes=settings.HUB_SCHEDULED_CALL_LEAD_MINUTES),
        days_ahead=settings.HUB_SCHEDULED_CALL_DAYS_AHEAD,
    )


def scheduled_call_status(user, area: ProductArea, language: str) -> availability.ChannelStatus:
    """SUP-5 for the scheduled-call channel: Success-package users of licenses that include it, in
    areas that allow it (the engine decides; no query beyond the user's organization)."""
    return availability.channel_status(
        Channel.SCHEDULED_CALL, customer=customer_rules(user), area=area.as_rules(), language=language,
        now=timezone.now(), schedules=(),
    )


def can_book(user, area: ProductArea, language: str) -> bool:
    return scheduled_call_status(user, area, language).is_open


def free_slots(area: ProductArea, language: str, *, now: datetime | None = None,
               ignore: ScheduledCall | None = None) -> list[slots.Slot]:
    """The bookable slots for `area` and `language`: inside the shifts of active agents who speak
    the language and cover the area, minus their booked calls, from the lead time on up to the
    booking horizon. `ignore`: a call being rescheduled (its own time stays offered)."""
    now = now or timezone.now()
    rule = rules()
    start, end = slots.booking_window(now, lead=rule.lead, days_ahead=rule.days_ahead, length=rule.length)
    if end <= start:
        return []
    agents = agents_with_shifts(languages=[language], area=area, since=start)
    if not agents:
        return []
    booked: dict[int, list[tuple[datetime, datetime]]] = {}
    calls = ScheduledCall.objects.booked().filter(
        agent__in=[agent.pk for agent in agents], ends_at__gt=start, starts_at__lt=end,
    )
    if ignore is not None:
        calls = calls.exclude(pk=ignore.pk)
    for agent_id, starts_at, ends_at in calls.values_list("agent_id", "starts_at", "ends_at"):
        booked.setdefault(agent_id, []).append((starts_at, ends_at))
    shifts = {
        agent.pk: shift_intervals(agent, start, end) for agent in agents
    }
    return slots.free_slots(shifts=shifts, booked=booked, start=start, end=end, length=rule.length)


def my_scheduled_calls(user):
    """The signed-in user's calls, soonest first, with what the list shows (one query)."""
    return (
        ScheduledCall.objects.visible_to(user)
        .select_related("ticket", "product_area", "agent__user")
        .order_by("starts_at", "pk")
    )


def calls_during_time_off(agent: SupportAgent, now: datetime | None = None) -> list[ScheduledCall]:
    """The agent's upcoming booked calls on one of their days off (a local date in any of their
    shift zones): staff are warned when they enter time off over calls already booked."""
    now = now or timezone.now()
    calls = list(ScheduledCall.objects.booked().filter(agent=agent, starts_at__gte=now).select_related("ticket"))
    if not calls:
        return []
    zones = {shift.time_zone for shift in agent.shifts.all()} or {"UTC"}
    off = days_off(agent.time_off.filter(last_day__gte=now.date() - timedelta(days=2)), now, calls[-1].ends_at)
    return [
        call for call in calls if any(call.starts_at.astimezone(ZoneInfo(zone)).date() in off for zone in zones)
    ]
