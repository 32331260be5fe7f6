"""Support's presentation helpers: when a channel opens, in the viewer's zone and language."""

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import Ticket

register = template.Library()

STATUS_BADGES = {
    Ticket.Status.NEW: "badge--info",
    Ticket.Status.OPEN: "badge--info",
    Ticket.Status.AWAITING_CUSTOMER: "badge--warning",
    Ticket.Status.VERIFICATION_REQUIRED: "badge--danger",
    Ticket.Status.SOLVED: "badge--success",
    Ticket.Status.CLOSED: "",
}


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "")


@register.simple_tag
def when_opens(moment, now=None):
    """"today at 08:00 CET", "tomorrow at 07:00 MST", "Monday 07:00 MST" or "Monday, 14 December
    07:00 MST" — in the active (the user's) time zone and language."""
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(moment)
    clock = f"{formats.time_format(local, 'TIME_FORMAT')} {formats.date_format(local, 'T')}"
    days = (local.date() - now.date()).days
    if days == 0:
        return _("today at %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": clock}
    if days < 7:
        return _("%(day)s at %(time)s") % {"day": formats.date_format(local, "l"), "time": clock}
    return _("%(day)s at %(time)s") % {
        "day": f"{formats.date_format(local, 'l')}, {formats.date_format(local, 'MONTH_DAY_FORMAT')}",
        "time": clock,
    }



@register.simple_tag
def chat_notice(event, for_staff=False):
    """What a chat notice (an authorless chat message: joined, left, closed, ended) says, in the
    reader's language. For staff, "the customer"; for the customer, "you"."""
    notice = event.data.get("notice", "")
    if notice == "joined":
        name = event.data.get("agent") or _("An agent")
        return _("%(name)s joined the chat.") % {"name": name} if for_staff else \
            _("%(name)s from Support joined the chat.") % {"name": name}
    if notice == "customer_ended":
        return _("The customer ended the chat.") if for_staff else _("You ended the chat.")
    if notice == "agent_left":
        return _("The agent left the chat.")
    if notice == "agent_closed":
        return _("The agent closed the chat.")
    if notice == "hours_ended":
        return _("Chat hours have ended.")
    if notice == "no_agent":
        return _("No agent is available to answer right now.")
    return ""
@register.filter
def call_time(moment):
    """"Thursday, 3 December 2026, 16:00 CET": a scheduled call's start in the active (the
    viewer's) time zone and language, with the zone so nobody misreads it."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return (f"{formats.date_format(local, 'l')}, {formats.date_format(local, 'DATE_FORMAT')}, "
            f"{formats.time_format(local, 'TIME_FORMAT')} {formats.date_format(local, 'T')}")


@register.filter
def local_time(moment):
    """"16:00" in the active time zone and language (slot labels)."""
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT") if moment else ""


@register.filter
def from_iso(value):
    """An ISO 8601 timestamp stored in an event's data, as a datetime (None when absent)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def long_date(day):
    """"Thursday, 3 December 2026" in the active language (a date, no time zone involved)."""
    if not day:
        return ""
    return f"{formats.date_format(day, 'l')}, {formats.date_format(day, 'DATE_FORMAT')}"
