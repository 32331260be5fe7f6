"""Inbound email (SUP-6): a reply to a ticket email becomes a customer reply on that ticket.

Both doors — the mail provider's signed webhook and the `fetch_support_mail` Maildir command —
hand the raw RFC 5322 message to `receive_inbound_email`. A message is accepted only when it was
sent to a correctly signed reply address (`support.replies`) by the ticket's requester; every
message is recorded once by its Message-ID, so a provider's retry or a re-read Maildir adds nothing
twice."""

import email
import email.policy
import hashlib
import logging
import os
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from ..attachments import check_file
from ..models import InboundEmail, Ticket, TicketEvent
from ..replies import strip_quoted_reply, ticket_number_for
from .tickets import TicketClosed, add_customer_reply

logger = logging.getLogger(__name__)


@dataclass
class InboundMessage:
    message_id: str
    sender: str
    recipients: list[str]
    subject: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    is_automatic: bool = False


def parse_message(raw: bytes) -> InboundMessage:
    """The parts of a raw email the hub uses."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    recipients = [
        address
        for header in ("To", "Cc", "Delivered-To", "X-Original-To")
        for _name, address in getaddresses(message.get_all(header, []))
        if address
    ]
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = body.get_content()
        if body.get_content_type() == "text/html":
            text = strip_tags(text)
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if payload is not None:
            attachments.append((part.get_filename() or "attachment", payload))
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    message_id = str(message.get("Message-ID", "")).strip() or f"<sha256:{hashlib.sha256(raw).hexdigest()}>"
    return InboundMessage(
        message_id=message_id[:300],
        sender=parseaddr(str(message.get("From", "")))[1],
        recipients=recipients,
        subject=str(message.get("Subject", ""))[:300],
        text=text,
        attachments=attachments,
        is_automatic=auto != "no" or message.get("X-Autoreply") is not None,
    )


def _record(message, *, source, status, reason="", ticket=None):
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(
                message_id=message.message_id, sender=message.sender[:254], recipient=", ".join(message.recipients)[:300],
                subject=message.subject, source=source, status=status, reason=reason, ticket=ticket,
            )
    except IntegrityError:
        return InboundEmail.objects.get(message_id__iexact=message.message_id)


def receive_inbound_email(*, raw: bytes, source: str) -> InboundEmail:
    """Add a reply email to its ticket, or record why not. Idempotent by Message-ID."""
    message = parse_message(raw)
    existing = InboundEmail.objects.filter(message_id__iexact=message.message_id).first()
    if existing is not None:
        return existing

    def reject(reason, ticket=None):
        logger.info("inbound email rejected", extra={"reason": reason, "message_id": message.message_id})
        return _record(message, source=source, status=InboundEmail.Status.REJECTED, reason=reason, ticket=ticket)

    if message.is_automatic:
        return reject("automatic reply (Auto-Submitted)")
    number = ticket_number_for(message.recipients)
    if number is None:
        return reject("not sent to a signed ticket reply address")
    ticket = Ticket.objects.select_related("requester").filter(number=number).first()
    if ticket is None:
        return reject("no such ticket")
    if not message.sender or message.sender.lower() != (ticket.requester.email or "").lower():
        return reject("sender is not the ticket's requester", ticket)
    files, skipped = [], []
    for name, payload in message.attachments:
        try:
            files.append(check_file(ContentFile(payload, name=name)))
        except ValidationError as error:
            skipped.append(" ".join(str(m) for m in error.messages))
    body = strip_quoted_reply(message.text)
    if skipped:
        body = (body + "\n\n" + "\n".join(f"[{note}]" for note in skipped)).strip()
    try:
        with transaction.atomic():
            record = InboundEmail.objects.create(
                message_id=message.message_id, sender=message.sender[:254],
                recipient=", ".join(message.recipients)[:300], subject=message.subject, source=source,
                status=InboundEmail.Status.ADDED, ticket=ticket,
            )
            add_customer_reply(actor=ticket.requester, ticket=ticket, body=body, attachments=files,
                               via=TicketEvent.Via.EMAIL)
    except IntegrityError:
        return InboundEmail.objects.get(message_id__iexact=message.message_id)
    except TicketClosed:
        return reject("the ticket is closed", ticket)
    except ValidationError as error:
        return reject("; ".join(error.messages)[:200], ticket)
    return record


def fetch_maildir(path, *, batch_size: int = 200) -> dict:
    """Read the messages waiting in a Maildir's `new/` folder (oldest first, at most `batch_size`
    per run), hand each to `receive_inbound_email`, then move it to `cur/` marked seen (the
    Maildir convention), so a mail client or a second run sees it as read. A message that fails
    stays in `new/` for the next run; Message-IDs make a second pass harmless."""
    root = Path(path)
    new, cur = root / "new", root / "cur"
    if not new.is_dir() or not cur.is_dir():
        raise FileNotFoundError(f"{root} is not a Maildir (needs new/ and cur/)")
    counts = {"added": 0, "rejected": 0, "failed": 0}
    entries = sorted((entry for entry in os.scandir(new) if entry.is_file() and not entry.name.startswith(".")),
                     key=lambda entry: entry.name)
    for entry in entries[:batch_size]:
        try:
            raw = Path(entry.path).read_bytes()
            record = receive_inbound_email(raw=raw, source=InboundEmail.Source.MAILDIR)
        except Exception:
            logger.exception("maildir message failed", extra={"file": entry.name})
            counts["failed"] += 1
            continue
        counts["added" if record.status == InboundEmail.Status.ADDED else "rejected"] += 1
        try:
            os.rename(entry.path, cur / f"{entry.name.split(':', 1)[0]}:2,S")
        except FileNotFoundError:  # another run moved it first
            pass
    return counts
