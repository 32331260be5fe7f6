"""SUP-6: email requests become tickets; My tickets with filters and the organization toggle; the
timeline, replies, mark solved, CSAT; scoping (404) and roles (403)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from support.models import Ticket, TicketAttachment, TicketEvent, TicketRating
from support.services import create_ticket
from tests.factories import TicketFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("support:ticket_list")
EMAIL_FORM = reverse("support:email_request_create", args=["surveys"])
VALID = {"subject": "Survey links expire", "description": "Respondents see 'survey closed' after one day.",
         "language": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def detail(ticket, action=""):
    name = f"support:ticket_{action}" if action else "support:ticket_detail"
    return reverse(name, args=[ticket.reference])


# --- creating a request by email --------------------------------------------------------------

def test_the_email_form_creates_a_ticket_with_attachments_and_confirms_it(
    client_for, cast, django_capture_on_commit_callbacks
):
    client = client_for(cast.standard_user)
    assert client.get(EMAIL_FORM).status_code == 200
    upload = SimpleUploadedFile("screenshot.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMAIL_FORM, {**VALID, "attachments": [upload]})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    assert (ticket.requester, ticket.organization, ticket.queue, ticket.channel) == (
        cast.standard_user, cast.northwind, "technical", "email")
    assert re.fullmatch(r"CS-\d{6}", ticket.reference)
    attachment = TicketAttachment.objects.get()
    assert (attachment.name, attachment.content_type, attachment.event.kind) == ("screenshot.png", "image/png", "created")
    [confirmation] = mail.outbox
    assert confirmation.to == [cast.standard_user.email]
    assert ticket.reference in confirmation.subject
    assert re.fullmatch(r"support\+cs-\d{6}\.[0-9a-f]{20}@example\.com", confirmation.reply_to[0])
    assert confirmation.alternatives and "text/html" == confirmation.alternatives[0][1]
    page = client.get(response["Location"]).content.decode()
    assert "Survey links expire" in page and "screenshot.png" in page


def test_xm_discover_requests_go_to_the_specialist_queue(client_for, cast):
    client_for(cast.brand_admin).post(reverse("support:email_request_create", args=["xm-discover"]), VALID)
    assert Ticket.objects.get().queue == "discover"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({**VALID, "subject": "a"}, "subject", "at least 3 characters"),
    ({**VALID, "description": "short"}, "description", "at least 20 characters"),
    ({**VALID, "language": "xx"}, "language", "Select a valid choice"),
])
def test_bad_input_is_explained_at_the_field(client_for, cast, data, field, message):
    response = client_for(cast.standard_user).post(EMAIL_FORM, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert f'id="id_{field}"' in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("run.exe", b"MZ\x90\x00", "cannot be attached"),
    ("invoice.pdf", b"<html>not a pdf</html>", "does not look like a .pdf file"),
    ("empty.txt", b"", "is empty"),
    ("notes.txt", b"\x00\x01\x02binary", "does not look like a .txt file"),
])
def test_attachments_are_checked_by_type_and_content(client_for, cast, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = client_for(cast.standard_user).post(EMAIL_FORM, {**VALID, "attachments": [upload]})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Ticket.objects.exists()


def test_attachments_are_limited_in_size_and_number(client_for, cast, settings):
    settings.HUB_SUPPORT_ATTACHMENT_MAX_BYTES = 100
    settings.HUB_SUPPORT_ATTACHMENT_MAX_FILES = 2
    client = client_for(cast.standard_user)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 200)
    assert "files can be at most 100" in client.post(EMAIL_FORM, {**VALID, "attachments": [big]}).content.decode()
    three = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(3)]
    response = client.post(EMAIL_FORM, {**VALID, "attachments": three})
    assert response.status_code == 422 and "Attach at most 2 files." in response.content.decode()


@time_machine.travel(datetime(2026, 11, 24, 20, 0, tzinfo=UTC), tick=False)
def test_email_in_a_language_outside_its_hours_is_refused_with_when_it_opens(client_for, cast):
    response = client_for(cast.standard_user).post(EMAIL_FORM, {**VALID, "language": "de"})
    assert response.status_code == 422
    assert "closed now; it opens tomorrow at 8 a.m. CET" in response.content.decode()
    assert client_for(cast.standard_user).post(EMAIL_FORM, VALID).status_code == 302


def test_htmx_gets_the_form_partial_then_a_redirect(client_for, cast):
    client = client_for(cast.standard_user)
    invalid = client.post(EMAIL_FORM, {**VALID, "subject": ""}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 422 and "<html" not in invalid.content.decode()
    assert 'id="request-form"' in invalid.content.decode()
    valid = client.post(EMAIL_FORM, VALID, HTTP_HX_REQUEST="true")
    assert valid.status_code == 204 and valid["HX-Redirect"] == detail(Ticket.objects.get())


def test_free_accounts_cannot_open_email_requests(client_for, cast):
    client = client_for(cast.free_user)
    assert client.get(EMAIL_FORM).status_code == 404
    assert client.post(EMAIL_FORM, VALID).status_code == 404


def test_ticket_numbers_come_from_a_sequence(cast):
    first = create_ticket(requester=cast.standard_user, subject="One", description="First request here.",
                          channel="email", language="en")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('support_ticket_number_seq')")
        taken = cursor.fetchone()[0]
    second = create_ticket(requester=cast.standard_user, subject="Two", description="Second request here.",
                           channel="email", language="en")
    assert taken == first.number + 1
    assert second.number == taken + 1  # a number handed out once is never reused (not max()+1)
    assert second.reference == f"CS-{second.number:06d}"


# --- My tickets ---------------------------------------------------------------------------

def test_my_tickets_lists_my_requests_with_status_filter_and_search(client_for, cast):
    open_one = TicketFactory(requester=cast.standard_user, subject="Dashboard filters reset")
    solved = TicketFactory(requester=cast.standard_user, subject="Export fails", status=Ticket.Status.SOLVED)
    TicketFactory(requester=cast.brand_admin, subject="Admin's own request")
    client = client_for(cast.standard_user)
    html = client.get(LIST).content.decode()
    assert "Dashboard filters reset" in html and "Export fails" in html
    assert "Admin&#x27;s own request" not in html
    unresolved = client.get(LIST, {"status": "unresolved"}).content.decode()
    assert "Dashboard filters reset" in unresolved and "Export fails" not in unresolved
    by_reference = client.get(LIST, {"q": solved.reference.lower()}).content.decode()
    assert "Export fails" in by_reference and open_one.reference not in by_reference
    by_text = client.get(LIST, {"q": "filters"}).content.decode()
    assert "Dashboard filters reset" in by_text and "Export fails" not in by_text


def test_a_brand_admin_can_switch_to_the_organizations_tickets(client_for, cast):
    TicketFactory(requester=cast.standard_user, subject="Colleague's request")
    TicketFactory(requester=cast.outsider, subject="Other company's request")
    client = client_for(cast.brand_admin)
    assert "Colleague&#x27;s request" not in client.get(LIST).content.decode()
    html = client.get(LIST, {"scope": "organization"}).content.decode()
    assert "Colleague&#x27;s request" in html and "Sam Rivera" in html
    assert "Other company" not in html


def test_a_standard_user_cannot_see_colleagues_tickets_even_when_asking(client_for, cast):
    colleague = TicketFactory(requester=cast.billing_contact, subject="Colleague's request")
    client = client_for(cast.standard_user)
    html = client.get(LIST, {"scope": "organization"}).content.decode()
    assert "Colleague&#x27;s request" not in html
    assert 'name="scope"' not in html
    assert client.get(detail(colleague)).status_code == 404


def test_the_list_htmx_partial_has_only_the_results(client_for, cast):
    TicketFactory(requester=cast.standard_user)
    response = client_for(cast.standard_user).get(LIST, {"status": "new"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="ticket-results"' in html and "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize("scope", ["mine", "organization"])
def test_my_tickets_costs_the_same_queries_at_1_and_20_tickets(client_for, cast, count_queries, scope):
    client = client_for(cast.brand_admin)
    TicketFactory(requester=cast.standard_user)
    TicketFactory(requester=cast.brand_admin)
    one = count_queries(lambda: client.get(LIST, {"scope": scope}))
    for _ in range(19):
        TicketFactory(requester=cast.standard_user)
        TicketFactory(requester=cast.brand_admin)
    twenty = count_queries(lambda: client.get(LIST, {"scope": scope}))
    assert one <= 12 and one == twenty


# --- a ticket: timeline, reply, solve, rate -----------------------------------------------------

def test_the_outsider_gets_404_for_another_organizations_ticket(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user)
    client = client_for(cast.outsider)
    for url in (detail(ticket), ):
        assert client.get(url).status_code == 404
    for action in ("reply", "solve", "rate"):
        assert client.post(detail(ticket, action), {"message": "hi", "score": "good"}).status_code == 404
    assert client.get(reverse("support:ticket_detail", args=["CS-ABC"])).status_code == 404


def test_a_brand_admin_reads_a_colleagues_ticket_but_may_not_write_into_it(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED)
    client = client_for(cast.brand_admin)
    html = client.get(detail(ticket)).content.decode()
    assert ticket.subject in html and "Only Sam Rivera can reply" in html
    assert client.post(detail(ticket, "reply"), {"message": "Adding a note"}).status_code == 403
    assert client.post(detail(ticket, "solve")).status_code == 403
    assert client.post(detail(ticket, "rate"), {"score": "good"}).status_code == 403
    assert ticket.events.count() == 1


def test_a_reply_reopens_a_ticket_waiting_for_the_customer(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.AWAITING_CUSTOMER)
    client = client_for(cast.standard_user)
    response = client.post(detail(ticket, "reply"), {"message": "Here is the survey link you asked for."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    event = ticket.events.last()
    assert (event.kind, event.from_status, event.to_status) == ("customer_reply", "awaiting_customer", "open")
    assert "Here is the survey link" in client.get(detail(ticket)).content.decode()


def test_a_reply_by_htmx_returns_the_conversation(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user)
    client = client_for(cast.standard_user)
    response = client.post(detail(ticket, "reply"), {"message": "More details."}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conversation"' in html and "<html" not in html
    assert "More details." in html and "Your reply was added" in html
    empty = client.post(detail(ticket, "reply"), {"message": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422 and "Write a message or attach a file." in empty.content.decode()


def test_closed_tickets_take_no_replies(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.CLOSED)
    client = client_for(cast.standard_user)
    assert 'id="reply"' not in client.get(detail(ticket)).content.decode()
    response = client.post(detail(ticket, "reply"), {"message": "Still broken."})
    assert response.status_code == 422 and "This request is closed" in response.content.decode()


def test_marking_solved_then_rating_bad_with_a_reason_once(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.OPEN)
    client = client_for(cast.standard_user)
    assert "Rate this request" not in client.get(detail(ticket)).content.decode()
    client.post(detail(ticket, "solve"))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED and ticket.solved_at
    assert "Rate this request" in client.get(detail(ticket)).content.decode()
    response = client.post(detail(ticket, "rate"), {"score": "bad"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "What went wrong?" in response.content.decode()
    again = client.post(detail(ticket, "rate"), {"score": "good"})
    assert again.status_code == 422 and "already rated" in again.content.decode()
    bad_reason = client.post(reverse("support:ticket_rate_reason", args=[ticket.reference]), {"reason": "nope"})
    assert bad_reason.status_code == 422
    client.post(reverse("support:ticket_rate_reason", args=[ticket.reference]),
                {"reason": "too_slow", "comment": "Three days for a first answer."})
    rating = TicketRating.objects.get()
    assert (rating.score, rating.reason, rating.comment) == ("bad", "too_slow", "Three days for a first answer.")
    assert "Thank you for your feedback." in client.get(detail(ticket)).content.decode()
    assert ticket.events.filter(kind=TicketEvent.Kind.RATED).count() == 1


def test_unsolved_tickets_cannot_be_rated(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user)
    response = client_for(cast.standard_user).post(detail(ticket, "rate"), {"score": "good"})
    assert response.status_code == 422 and not TicketRating.objects.exists()


def test_staff_only_events_never_reach_the_customer(client_for, cast):
    ticket = TicketFactory(requester=cast.standard_user)
    TicketEvent.objects.create(ticket=ticket, kind="internal_note", body="Customer is on the old plan",
                               is_internal=True)
    assert "old plan" not in client_for(cast.standard_user).get(detail(ticket)).content.decode()


def test_attachments_are_served_only_to_those_who_see_the_ticket(client_for, cast):
    client = client_for(cast.standard_user)
    client.post(EMAIL_FORM, {**VALID, "attachments": [SimpleUploadedFile("log.txt", b"line one\n")]})
    attachment = TicketAttachment.objects.get()
    url = reverse("support:attachment_download", args=[attachment.public_id, attachment.name])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"line one\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(cast.brand_admin).get(url).status_code == 200
    assert client_for(cast.billing_contact).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404


def test_ticket_page_costs_the_same_queries_at_1_and_20_events(client_for, cast, count_queries):
    ticket = TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED)
    client = client_for(cast.standard_user)
    one = count_queries(lambda: client.get(detail(ticket)))
    for n in range(19):
        TicketEvent.objects.create(ticket=ticket, kind="agent_reply" if n % 2 else "customer_reply",
                                   author=cast.standard_user if n % 2 == 0 else UserFactory(organization=None, is_staff=True),
                                   body=f"Message {n}")
    twenty = count_queries(lambda: client.get(detail(ticket)))
    assert one <= 12 and one == twenty
