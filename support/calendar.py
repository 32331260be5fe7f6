"""Calendar invites for scheduled calls (SCH-1), as RFC 5545 iCalendar text.

One booking is one event: its UID stays the same for the booking's life, SEQUENCE counts up with
every change sent (reschedule, cancel), so calendars update or remove the event they already have.
METHOD:REQUEST for a booked call, METHOD:CANCEL (and STATUS:CANCELLED) for a cancelled one.
Times are UTC ("Z"): no VTIMEZONE needed, every calendar shows them in its own zone."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

CRLF = "\r\n"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def _param(value: str) -> str:
    """A parameter value (CN=…): quoted, without the characters a quoted value cannot hold."""
    return '"' + str(value).replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with the space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return (CRLF + " ").join(out)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(call) -> str:
    host = urlsplit(settings.HUB_PUBLIC_URL).hostname or "hub.invalid"
    return f"scheduled-call-{call.public_id}@{host}"


def invite(call, *, method: str, language: str, now: datetime | None = None) -> str:
    """The iCalendar object for `call` as its booker's calendar should hold it now."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"Unknown method {method!r}")
    ticket, requester = call.ticket, call.requester
    vendor = settings.HUB_VENDOR_NAME
    ticket_url = settings.HUB_PUBLIC_URL + reverse("support:ticket_detail", args=[ticket.reference])
    with translation.override(language):
        summary = _("%(vendor)s support call: %(subject)s") % {"vendor": vendor, "subject": ticket.subject}
        description = _(
            "Your scheduled call with %(vendor)s support about request %(reference)s (%(area)s). "
            "Your support engineer posts how to join on the request before the call: %(url)s"
        ) % {"vendor": vendor, "reference": ticket.reference, "area": call.product_area.display_name,
             "url": ticket_url}
        organizer = _("%(vendor)s Support") % {"vendor": vendor}
    attendee = requester.get_full_name() or requester.username
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:-//{escape_text(vendor)}//Customer Success Hub//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid(call)}",
        f"DTSTAMP:{utc_stamp(now or timezone.now())}",
        f"SEQUENCE:{call.sequence}",
        f"DTSTART:{utc_stamp(call.starts_at)}",
        f"DTEND:{utc_stamp(call.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{ticket_url}",
        f"ORGANIZER;CN={_param(organizer)}:mailto:{settings.HUB_SUPPORT_REPLY_ADDRESS}",
        f"ATTENDEE;CN={_param(attendee)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{requester.email}",
        f"STATUS:{'CONFIRMED' if method == REQUEST else 'CANCELLED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF


def attachment(call, *, method: str, language: str) -> dict:
    """The invite as an email attachment for `hub.notifications.queue_email`."""
    return {
        "filename": "invite.ics" if method == REQUEST else "cancel.ics",
        "content": invite(call, method=method, language=language),
        "mimetype": f"text/calendar; method={method}",
    }
