"""Email replies to tickets (SUP-6): a signed Reply-To address per ticket, and the customer's
new text separated from the quoted history below it.

The address is `<local>+cs-004211.<signature>@<domain>` from `HUB_SUPPORT_REPLY_ADDRESS`; the
signature is an HMAC of the ticket reference under SECRET_KEY, so nobody can write into a ticket
by guessing its reference."""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare, salted_hmac

from .models.tickets import number_from_reference

_SALT = "support.reply-address"
_TAG_RE = re.compile(r"\+(cs-?\d{1,12})\.([0-9a-f]{20})@", re.IGNORECASE)
# Emails the hub sends put a line starting with this above the quoted history.
REPLY_MARKER = "##-"
_QUOTE_HEADERS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^On .{4,200}wrote:?$",  # English (Gmail, Apple Mail)
        r"^Am .{4,200}schrieb.*:?$",  # German
        r"^Le .{4,200}a écrit ?:?$",  # French
        r"^Il giorno .{4,200}ha scritto:?$",  # Italian
        r"^Em .{4,200}escreveu:?$",  # Portuguese
        r"^El .{4,200}escribió:?$",  # Spanish
        r"^Op .{4,200}schreef.*:?$",  # Dutch
        r"^.{0,40}\d{4}.{0,60}<[^>]+@[^>]+>:?$",  # Japanese mailers: date, name <address>:
        r"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Messaggio originale)\s*-{2,}$",
        r"^_{10,}$",  # Outlook's separator line
    )
]


def _signature(reference: str) -> str:
    return salted_hmac(_SALT, reference.upper(), algorithm="sha256").hexdigest()[:20]


def reply_address(ticket) -> str:
    """The Reply-To of every email about `ticket`: a reply lands on the ticket."""
    local, _at, domain = settings.HUB_SUPPORT_REPLY_ADDRESS.rpartition("@")
    if not local or not domain:
        raise ImproperlyConfigured("HUB_SUPPORT_REPLY_ADDRESS must be an email address, e.g. support@example.com")
    return f"{local}+{ticket.reference.lower()}.{_signature(ticket.reference)}@{domain}"


def ticket_number_for(addresses) -> int | None:
    """The ticket number a correctly signed reply address among `addresses` names, or None."""
    for address in addresses:
        match = _TAG_RE.search(f"{address}@" if "@" not in address else address)
        if not match:
            continue
        number = number_from_reference(match.group(1))
        if number is not None and constant_time_compare(_signature(f"CS-{number:06d}"), match.group(2).lower()):
            return number
    return None


def strip_quoted_reply(text: str) -> str:
    """The customer's new text: everything above our marker, a mail client's "On … wrote:" line,
    or the quoted (">") history."""
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith(REPLY_MARKER) or any(p.match(stripped) for p in _QUOTE_HEADERS):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()
