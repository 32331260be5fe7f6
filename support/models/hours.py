"""Support hours and holidays (SUP-5): data staff edit; the availability engine reads them as
plain data (`support.selectors.availability_inputs`)."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.models import validate_time_zone

from ..availability import Schedule, Window
from ..choices import Channel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SupportSchedule(models.Model):
    """When one channel is staffed in some languages, in one IANA time zone. Several schedules
    may cover one language (Spanish: CET hours and US business hours); their hours add up."""

    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(
        _("channel"), max_length=20,
        choices=[(c.value, c.label) for c in (Channel.CHAT, Channel.EMAIL, Channel.PHONE)],
    )
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("languages"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone],
        help_text=_("An IANA time zone, e.g. America/Denver or Europe/Berlin. Daylight saving time follows it."),
    )
    is_always_open = models.BooleanField(_("open around the clock"), default=False)
    is_enterprise = models.BooleanField(
        _("Enterprise Support"), default=False,
        help_text=_("Hours that apply to users designated for Enterprise Support only."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("support hours")
        verbose_name_plural = _("support hours")
        ordering = ["channel", "name"]

    def __str__(self):
        return self.name

    def language_labels(self):
        names = dict(settings.LANGUAGES)
        return ", ".join(str(names.get(code, code)) for code in self.languages)

    def as_rules(self, windows, holidays) -> Schedule:
        """This schedule as plain data for the availability engine."""
        return Schedule(
            channel=self.channel,
            languages=frozenset(self.languages),
            time_zone=self.time_zone,
            windows=tuple(Window(w.weekday, w.opens, w.closes) for w in windows),
            always_open=self.is_always_open,
            holidays=frozenset(holidays),
            enterprise=self.is_enterprise,
            name=self.name,
        )


class SupportWindow(models.Model):
    schedule = models.ForeignKey(SupportSchedule, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("At or before the opening time: closes the next day (00:00 = midnight)."),
    )

    class Meta:
        verbose_name = _("opening window")
        verbose_name_plural = _("opening windows")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(opens=models.F("closes")) | models.Q(opens=datetime.time(0)),
                name="support_window_not_empty",
                violation_error_message=_("A window that opens and closes at the same time must be 00:00–00:00 (all day)."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class SupportHoliday(models.Model):
    """A local date on which the chosen schedules are closed all day."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    schedules = models.ManyToManyField(SupportSchedule, verbose_name=_("closed schedules"), related_name="holidays")

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
