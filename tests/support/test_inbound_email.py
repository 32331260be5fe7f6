"""SUP-6: replying to a ticket email adds to the ticket — through the signed webhook and through
the Maildir command — and nothing else gets in."""

import time
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from support.models import InboundEmail, Ticket, TicketAttachment
from support.replies import reply_address, strip_quoted_reply
from support.views.inbound import signature_for
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db
URL = reverse("support:inbound_email")
SECRET = "test-inbound-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.HUB_INBOUND_EMAIL_SECRET = SECRET


@pytest.fixture
def ticket(cast):
    return TicketFactory(requester=cast.standard_user, status=Ticket.Status.AWAITING_CUSTOMER)


def reply_email(ticket, *, sender=None, to=None, body=None, message_id="<reply-1@mail.northwind.example>",
                attachment=None, headers=None):
    message = EmailMessage()
    message["From"] = f"Sam Rivera <{sender or ticket.requester.email}>"
    message["To"] = to or reply_address(ticket)
    message["Subject"] = f"Re: [{ticket.reference}] New reply to your request"
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body or (
        "The expiry was set to one day; fixed now, thanks!\n\n"
        "On Tue, 24 Nov 2026 at 10:00, Acme Cloud <support@example.com> wrote:\n"
        "> ##- Please type your reply above this line -##\n> Could you check the expiry?\n"
    ))
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0])
    return message.as_bytes()


def post_signed(client, raw, *, secret=SECRET, timestamp=None):
    timestamp = str(timestamp or int(time.time()))
    return client.post(URL, data=raw, content_type="message/rfc822", HTTP_X_HUB_TIMESTAMP=timestamp,
                       HTTP_X_HUB_SIGNATURE=signature_for(secret, timestamp, raw))


def test_a_signed_webhook_adds_the_reply_without_the_quoted_history(client, ticket):
    response = post_signed(client, reply_email(ticket))
    assert response.status_code == 200 and response.json()["status"] == "added"
    event = ticket.events.last()
    assert (event.kind, event.via, event.author) == ("customer_reply", "email", ticket.requester)
    assert event.body == "The expiry was set to one day; fixed now, thanks!"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_a_forged_signature_is_refused_and_changes_nothing(client, ticket):
    raw = reply_email(ticket)
    assert post_signed(client, raw, secret="not-the-secret").status_code == 401
    timestamp = str(int(time.time()))
    tampered = client.post(URL, data=raw + b"tampered", content_type="message/rfc822",
                           HTTP_X_HUB_TIMESTAMP=timestamp, HTTP_X_HUB_SIGNATURE=signature_for(SECRET, timestamp, raw))
    assert tampered.status_code == 401
    unsigned = client.post(URL, data=raw, content_type="message/rfc822")
    assert unsigned.status_code == 401
    assert ticket.events.count() == 1 and not InboundEmail.objects.exists()


def test_a_replayed_old_request_is_refused(client, ticket):
    assert post_signed(client, reply_email(ticket), timestamp=int(time.time()) - 3600).status_code == 401


def test_the_webhook_does_not_exist_without_a_secret(client, ticket, settings):
    settings.HUB_INBOUND_EMAIL_SECRET = ""
    assert post_signed(client, reply_email(ticket), secret="").status_code == 404


def test_the_same_message_twice_is_added_once(client, ticket):
    raw = reply_email(ticket)
    post_signed(client, raw)
    post_signed(client, raw)
    assert ticket.events.filter(kind="customer_reply").count() == 1
    assert InboundEmail.objects.count() == 1


@pytest.mark.parametrize(("change", "reason"), [
    ({"to": "support@example.com"}, "not sent to a signed ticket reply address"),
    ({"sender": "attacker@evil.example"}, "sender is not the ticket's requester"),
    ({"headers": {"Auto-Submitted": "auto-replied"}}, "automatic reply (Auto-Submitted)"),
])
def test_messages_that_are_not_the_requesters_reply_are_recorded_and_refused(client, ticket, change, reason):
    response = post_signed(client, reply_email(ticket, **change))
    assert response.status_code == 200 and response.json() == {"status": "rejected", "reason": reason}
    assert ticket.events.count() == 1
    assert InboundEmail.objects.get().status == InboundEmail.Status.REJECTED


def test_a_guessed_reply_address_for_another_ticket_is_refused(client, ticket, cast):
    other = TicketFactory(requester=cast.brand_admin)
    forged = reply_address(ticket).replace(ticket.reference.lower(), other.reference.lower())
    response = post_signed(client, reply_email(other, sender=cast.brand_admin.email, to=forged))
    assert response.json()["reason"] == "not sent to a signed ticket reply address"
    assert other.events.count() == 1


def test_a_reply_to_a_closed_ticket_is_refused(client, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    assert post_signed(client, reply_email(ticket)).json() == {"status": "rejected", "reason": "the ticket is closed"}


def test_attachments_in_a_reply_are_kept_when_allowed_and_noted_when_not(client, ticket):
    post_signed(client, reply_email(ticket, attachment=("trace.txt", b"GET /survey 500\n")))
    assert TicketAttachment.objects.get().name == "trace.txt"
    post_signed(client, reply_email(ticket, message_id="<reply-2@x>", attachment=("tool.exe", b"MZ\x90")))
    assert TicketAttachment.objects.count() == 1
    assert "tool.exe: this type of file cannot be attached" in ticket.events.last().body


def _maildir(tmp_path):
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    return tmp_path


def test_the_maildir_command_adds_replies_and_files_them_as_seen(tmp_path, ticket, cast):
    maildir = _maildir(tmp_path)
    (maildir / "new" / "1700000000.1.host").write_bytes(reply_email(ticket))
    (maildir / "new" / "1700000001.2.host").write_bytes(
        reply_email(ticket, sender="someone@else.example", message_id="<spam@x>"))
    out = StringIO()
    call_command("fetch_support_mail", str(maildir), stdout=out)
    assert "1 added, 1 rejected, 0 failed" in out.getvalue()
    assert not list((maildir / "new").iterdir())
    assert sorted(p.name for p in (maildir / "cur").iterdir()) == ["1700000000.1.host:2,S", "1700000001.2.host:2,S"]
    assert ticket.events.filter(kind="customer_reply", via="email").count() == 1
    call_command("fetch_support_mail", str(maildir), stdout=StringIO())
    assert ticket.events.filter(kind="customer_reply").count() == 1


def test_the_maildir_command_explains_a_missing_maildir(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a Maildir"):
        call_command("fetch_support_mail", str(tmp_path / "nowhere"))


@pytest.mark.parametrize(("text", "kept"), [
    ("Thanks!\n\nAm 24.11.2026 um 10:00 schrieb Support <s@x>:\n> old", "Thanks!"),
    ("Merci\r\n\r\nLe mar. 24 nov. 2026 à 10:00, Support a écrit :\r\n> old", "Merci"),
    ("Fixed.\n-----Original Message-----\nFrom: Support", "Fixed."),
    ("Line one\n> quoted\nLine two", "Line one\nLine two"),
    ("Hello\n##- Bitte oberhalb dieser Zeile antworten -##\nold", "Hello"),
])
def test_quoted_history_is_left_out_in_several_mail_clients_languages(text, kept):
    assert strip_quoted_reply(text) == kept
