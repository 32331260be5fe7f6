"""Agents' working hours: weekly shifts in an IANA time zone, minus their time off (CB-2 estimates
waits from the agents on shift; SCH-1 offers scheduled calls inside them)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.models import validate_time_zone

from ..availability import Schedule, Window
from .agents import SupportAgent
from .hours import Weekday


class AgentShift(models.Model):
    agent = models.ForeignKey(SupportAgent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(
        _("ends"), help_text=_("At or before the start: ends the next day (00:00 = midnight)."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Denver", validators=[validate_time_zone],
        help_text=_("An IANA time zone, e.g. America/Denver or Europe/Berlin. Daylight saving time follows it."),
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(starts=models.F("ends")) | models.Q(starts=datetime.time(0)),
                name="support_shift_not_empty",
                violation_error_message=_("A shift that starts and ends at the same time must be 00:00–00:00 (all day)."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M} ({self.time_zone})"

    def as_window(self) -> Window:
        return Window(self.weekday, self.starts, self.ends)


class AgentTimeOff(models.Model):
    """Days an agent does not work — leave, a public holiday where they live. No shift starts on
    them, so callback waits and scheduled-call times leave the agent out. The days are local dates
    in the agent's shift time zones."""

    agent = models.ForeignKey(SupportAgent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"), help_text=_("The last day off, included."))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="support_time_off_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]
        indexes = [models.Index(fields=["agent", "last_day"], name="support_time_off_agent_last")]

    def __str__(self):
        return f"{self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"


def days_off(time_off, start: datetime.datetime, end: datetime.datetime) -> frozenset[datetime.date]:
    """The dates of `time_off` rows that can matter for [start, end) in any time zone."""
    first, last = start.date() - datetime.timedelta(days=2), end.date() + datetime.timedelta(days=2)
    days = set()
    for off in time_off:
        day = max(off.first_day, first)
        while day <= min(off.last_day, last):
            days.add(day)
            day += datetime.timedelta(days=1)
    return frozenset(days)


def shift_schedules(shifts, days_off: frozenset[datetime.date] = frozenset()) -> tuple[Schedule, ...]:
    """An agent's shifts as availability schedules, one per time zone (the engine's plain data);
    no shift starts on `days_off` (local dates)."""
    by_zone: dict[str, list[Window]] = {}
    for shift in shifts:
        by_zone.setdefault(shift.time_zone, []).append(shift.as_window())
    return tuple(
        Schedule(channel="shift", languages=frozenset(), time_zone=zone, windows=tuple(windows), holidays=days_off)
        for zone, windows in by_zone.items()
    )
