"""Key dates of a contract's renewal cycle, as a page and as an iCalendar (.ics) export."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.access import CONFIRMATION_WINDOW_DAYS

from .access import RENEWAL_WINDOW_DAYS


@dataclass
class KeyDate:
    key: str
    day: date
    label: str
    note: str = ""


def key_dates(contract, renewal) -> list[KeyDate]:
    """The 150-day contact check (with the billing-contacts feature), the 120-day renewal window,
    the submission deadline (until submitted), the invoice send date (planned, or the one fixed
    at submission) and the end date — in date order."""
    end = contract.end_date
    planned_invoice = end - timedelta(days=settings.RENEWAL_INVOICE_DAYS_BEFORE)
    dates = []
    if contract.organization.billing_contacts_enabled:
        dates.append(KeyDate("contact-check", end - timedelta(days=CONFIRMATION_WINDOW_DAYS),
                             _("Billing contact check"), _("Confirm the primary and billing contacts.")))
    dates.append(KeyDate("renewal-window", end - timedelta(days=RENEWAL_WINDOW_DAYS),
                         _("Renewal window opens"), _("The contacts can prepare the renewal from this day.")))
    if not (renewal.is_submitted or renewal.is_not_renewing):
        dates.append(KeyDate("submission-deadline", planned_invoice, _("Submission deadline"),
                             _("Submit the renewal by this day so the invoice goes out on time.")))
    if renewal.invoice_send_date and not renewal.is_not_renewing:
        dates.append(KeyDate("invoice", renewal.invoice_send_date, _("Invoice sent")))
    elif not renewal.is_not_renewing:  # no invoice for a contract that is not renewed
        dates.append(KeyDate("invoice", planned_invoice, _("Invoice sent (planned)")))
    dates.append(KeyDate("end", end, _("Renewal date (contract end)")))
    return sorted(dates, key=lambda item: item.day)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def to_ics(contract, dates: list[KeyDate]) -> str:
    """All-day events; the UID is stable per contract, cycle and key, so re-importing updates
    rather than duplicates."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = settings.HUB_PUBLIC_URL.split("://", 1)[-1].split("/", 1)[0] or "hub"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Customer Success Hub//Renewal key dates//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for item in dates:
        summary = _("Contract %(number)s: %(label)s") % {"number": contract.contract_number, "label": item.label}
        lines += [
            "BEGIN:VEVENT",
            f"UID:{contract.contract_number}-{contract.cycle:%Y%m%d}-{item.key}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
        ]
        if item.note:
            lines.append(f"DESCRIPTION:{_escape(item.note)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
