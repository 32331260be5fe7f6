"""Agents' working hours: weekly shifts in an IANA time zone (CB-2 estimates waits from the agents
on shift; SCH-1 offers scheduled calls inside them)."""

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


def shift_schedules(shifts) -> tuple[Schedule, ...]:
    """An agent's shifts as availability schedules, one per time zone (the engine's plain data)."""
    by_zone: dict[str, list[Window]] = {}
    for shift in shifts:
        by_zone.setdefault(shift.time_zone, []).append(shift.as_window())
    return tuple(
        Schedule(channel="shift", languages=frozenset(), time_zone=zone, windows=tuple(windows))
        for zone, windows in by_zone.items()
    )
