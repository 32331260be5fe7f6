"""SCH-1 booking: a free agent is assigned, a ticket opened, the invite emailed; no slot is booked
twice, even by two bookings at the same moment; reschedule and cancel, each idempotent; the
calendar invite follows RFC 5545."""

import threading
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from hub.models import OutboundEmail
from hub.notifications import deliver_email
from support.models import AgentShift, ProductArea, ScheduledCall, SupportAgent, Ticket, TicketEvent
from support.scheduling import free_slots
from support.services import (
    CallNotChangeable,
    SlotTaken,
    book_scheduled_call,
    cancel_scheduled_call,
    reschedule_scheduled_call,
)
from tests.factories import StaffUserFactory, assistant_conversation

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # Thursday; Northwind is in Berlin (10:00 CET)
FIRST_SLOT = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)  # two hours' lead


def on_duty_agent(languages=("en", "de"), name="Lena"):
    """An agent on shift around the clock, every day (UTC)."""
    record = SupportAgent.objects.create(user=StaffUserFactory(first_name=name), languages=list(languages))
    for weekday in range(7):
        AgentShift.objects.create(agent=record, weekday=weekday, starts=time(0), ends=time(0), time_zone="UTC")
    return record


def surveys():
    return ProductArea.objects.get(slug="surveys")


def book(user, starts_at=FIRST_SLOT, language="en", token=None, area=None):
    return book_scheduled_call(
        actor=user, area=area or surveys(), language=language, starts_at=starts_at,
        subject="Quota logic review", description="We would like to walk through our quota logic together.",
        request_token=token or uuid.uuid4(),
    )


def ics_lines(text):
    """Unfolded content lines of an iCalendar object."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def ics_value(text, name):
    for line in ics_lines(text):
        key = line.split(":", 1)[0].split(";", 1)[0]
        if key == name:
            return line.split(":", 1)[1]
    return None


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


pytestmark = pytest.mark.django_db


def test_booking_assigns_a_free_agent_opens_an_assigned_ticket_and_queues_the_invite(cast, frozen):
    agent = on_duty_agent()
    call = book(cast.brand_admin)
    assert (call.agent, call.starts_at, call.ends_at) == (agent, FIRST_SLOT, FIRST_SLOT + timedelta(minutes=30))
    ticket = call.ticket
    assert ticket.channel == "scheduled_call" and ticket.requester == cast.brand_admin
    assert ticket.assignee == agent.user and ticket.product_area.slug == "surveys"
    assert list(ticket.events.values_list("kind", flat=True)) == ["created", "scheduled_call"]
    assert ticket.events.get(kind="scheduled_call").data["action"] == "booked"
    [email] = OutboundEmail.objects.filter(template="support_scheduled_call")
    assert email.to_email == cast.brand_admin.email
    assert "Thursday, Dec. 3, 2026, noon CET" in email.subject  # in the booker's zone (Berlin)
    assert email.reply_to.startswith("support+cs-")
    [invite] = email.attachments
    assert invite["filename"] == "invite.ics" and invite["mimetype"] == "text/calendar; method=REQUEST"
    assert ics_value(invite["content"], "METHOD") == "REQUEST"
    # No generic "we received your request" email on top of the call's confirmation.
    assert not OutboundEmail.objects.filter(template="support_ticket_created").exists()
    assert FIRST_SLOT not in [slot.starts_at for slot in free_slots(surveys(), "en")]


def test_the_least_busy_free_agent_takes_the_call(cast, frozen):
    busy, idle = on_duty_agent(name="Busy"), on_duty_agent(name="Idle")
    book(cast.standard_user, FIRST_SLOT + timedelta(hours=1))  # lowest id first: `busy` takes it
    assert ScheduledCall.objects.get().agent == busy
    assert book(cast.brand_admin).agent == idle


def test_a_second_agent_takes_the_same_slot_and_a_third_booking_is_refused(cast, frozen):
    first, second = on_duty_agent(), on_duty_agent()
    calls = [book(cast.brand_admin), book(cast.standard_user)]
    assert {call.agent for call in calls} == {first, second}
    with pytest.raises(SlotTaken):
        book(cast.billing_contact)
    assert Ticket.objects.filter(channel="scheduled_call").count() == 2  # the refused one left nothing


def test_the_same_form_submitted_twice_books_one_call(cast, frozen):
    on_duty_agent()
    token = uuid.uuid4()
    assert book(cast.brand_admin, token=token) == book(cast.brand_admin, token=token)
    assert ScheduledCall.objects.count() == 1 and OutboundEmail.objects.count() == 1


@pytest.mark.parametrize("starts_at", [
    FIRST_SLOT - timedelta(minutes=30),  # inside the lead time
    FIRST_SLOT + timedelta(minutes=10),  # off the grid
    NOW + timedelta(days=15),  # beyond the horizon
])
def test_times_that_are_no_slot_are_refused(cast, frozen, starts_at):
    on_duty_agent()
    with pytest.raises(SlotTaken):
        book(cast.brand_admin, starts_at)
    assert not ScheduledCall.objects.exists()


def test_nobody_speaking_the_language_means_no_booking(cast, frozen):
    on_duty_agent(languages=["en"])
    with pytest.raises(SlotTaken):
        book(cast.brand_admin, language="ja")


@pytest.mark.parametrize("persona", ["outsider", "free_user", "fedramp_user"])
def test_users_without_success_packages_cannot_book(cast, frozen, persona):
    on_duty_agent()
    with pytest.raises(PermissionDenied):
        book(getattr(cast, persona))


def test_areas_without_scheduled_calls_cannot_be_booked(cast, frozen):
    on_duty_agent()
    with pytest.raises(PermissionDenied):
        book(cast.brand_admin, area=ProductArea.objects.get(slug="stats-crosstabs"))


def test_the_database_refuses_overlapping_calls_of_one_agent(cast, frozen):
    agent = on_duty_agent()
    call = book(cast.brand_admin)
    overlapping = ScheduledCall(
        ticket=Ticket.objects.create(organization=cast.northwind, requester=cast.standard_user, channel="scheduled_call",
                                     queue="technical", language="en", subject="x", description="x"),
        organization=cast.northwind, requester=cast.standard_user, product_area=surveys(), agent=agent,
        language="en", starts_at=call.starts_at + timedelta(minutes=15), ends_at=call.ends_at + timedelta(minutes=15),
        request_token=uuid.uuid4(),
    )
    with pytest.raises(IntegrityError, match="support_call_agent_no_overlap"), transaction.atomic():
        overlapping.save()
    overlapping.status = ScheduledCall.Status.CANCELLED  # a cancelled call holds no slot
    overlapping.save()


# --- Two bookings of one slot at the same moment --------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_the_last_free_agent_one_succeeds(cast):
    """Two connections book the same slot. The first holds its transaction open while the second
    has already decided the agent is free: the second waits on the agent's advisory lock (not on
    the first's uncommitted row, where two inserts at once would deadlock), then meets the
    committed call; the service reports the slot as taken and books nothing."""
    from support import product_data
    from support.services.scheduled_calls import AGENT_CALLS_LOCK

    product_data.ensure()
    agent = on_duty_agent()
    slot = free_slots(surveys(), "en")[0].starts_at
    first_inserted, second_started = threading.Event(), threading.Event()
    results = {}

    def lock_waiters():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid = %s AND objid = %s AND objsubid = 2",
                [AGENT_CALLS_LOCK, agent.pk],
            )
            return cursor.fetchone()[0]

    def first():
        try:
            with transaction.atomic():
                results["first"] = book(cast.brand_admin, slot)
                first_inserted.set()
                second_started.wait(10)
                for _ in range(100):
                    if lock_waiters():
                        break
                    threading.Event().wait(0.05)
                results["waiters"] = lock_waiters()
        except Exception as error:  # noqa: BLE001 - reported below
            results["first"] = error
        finally:
            first_inserted.set()
            connection.close()

    def second():
        first_inserted.wait(10)
        second_started.set()
        try:
            results["second"] = book(cast.standard_user, slot)
        except Exception as error:  # noqa: BLE001 - reported below
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert isinstance(results["first"], ScheduledCall), results
    assert isinstance(results["second"], SlotTaken), results
    assert results["waiters"] == 1
    assert ScheduledCall.objects.filter(starts_at=slot, status="booked").count() == 1
    assert Ticket.objects.filter(channel="scheduled_call").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_bookings_racing_from_the_start_book_one_call(cast):
    from support import product_data

    product_data.ensure()
    on_duty_agent()
    slot = free_slots(surveys(), "en")[0].starts_at
    start = threading.Barrier(2)
    outcomes = []

    def attempt(user):
        start.wait(10)
        try:
            outcomes.append(book(user, slot))
        except SlotTaken as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (cast.brand_admin, cast.standard_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ScheduledCall", "SlotTaken"]
    assert ScheduledCall.objects.filter(starts_at=slot).count() == 1


# --- Reschedule and cancel ---------------------------------------------------------------------------
def test_rescheduling_moves_the_call_frees_the_old_slot_and_sends_the_same_invite_again(cast, frozen):
    on_duty_agent()
    call = book(cast.brand_admin)
    later = FIRST_SLOT + timedelta(days=1, hours=2)
    moved = reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=later)
    assert (moved.pk, moved.starts_at, moved.sequence) == (call.pk, later, 1)
    free = [slot.starts_at for slot in free_slots(surveys(), "en")]
    assert FIRST_SLOT in free and later not in free
    event = moved.ticket.events.filter(kind="scheduled_call").last()
    assert event.data["action"] == "rescheduled" and event.data["previous_starts_at"] == FIRST_SLOT.isoformat()
    booked, rescheduled = OutboundEmail.objects.filter(template="support_scheduled_call").order_by("pk")
    first_invite, second_invite = booked.attachments[0]["content"], rescheduled.attachments[0]["content"]
    assert ics_value(first_invite, "UID") == ics_value(second_invite, "UID")
    assert (ics_value(first_invite, "SEQUENCE"), ics_value(second_invite, "SEQUENCE")) == ("0", "1")
    assert ics_value(second_invite, "DTSTART") == "20261204T130000Z"
    assert "moved" in rescheduled.subject


def test_rescheduling_to_the_same_time_or_twice_does_nothing_more(cast, frozen):
    on_duty_agent()
    call = book(cast.brand_admin)
    assert reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=FIRST_SLOT).sequence == 0
    later = FIRST_SLOT + timedelta(hours=3)
    reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=later)
    again = reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=later)
    assert again.sequence == 1
    assert OutboundEmail.objects.count() == 2
    assert TicketEvent.objects.filter(kind="scheduled_call").count() == 2


def test_rescheduling_onto_a_taken_slot_keeps_the_call_where_it_was(cast, frozen):
    on_duty_agent()
    mine = book(cast.brand_admin)
    theirs = book(cast.standard_user, FIRST_SLOT + timedelta(hours=1))
    with pytest.raises(SlotTaken):
        reschedule_scheduled_call(actor=cast.brand_admin, call=mine, starts_at=theirs.starts_at)
    mine.refresh_from_db()
    assert (mine.starts_at, mine.sequence) == (FIRST_SLOT, 0)


def test_only_the_booker_reschedules(cast, frozen):
    on_duty_agent()
    call = book(cast.brand_admin)
    with pytest.raises(PermissionDenied):
        reschedule_scheduled_call(actor=cast.standard_user, call=call, starts_at=FIRST_SLOT + timedelta(hours=1))


def test_cancelling_frees_the_slot_sends_method_cancel_and_twice_changes_nothing(cast, frozen):
    on_duty_agent()
    call = book(cast.brand_admin)
    cancelled = cancel_scheduled_call(actor=cast.brand_admin, call=call)
    assert cancelled.status == "cancelled" and cancelled.sequence == 1
    assert FIRST_SLOT in [slot.starts_at for slot in free_slots(surveys(), "en")]
    cancel_scheduled_call(actor=cast.brand_admin, call=call)
    emails = list(OutboundEmail.objects.filter(template="support_scheduled_call").order_by("pk"))
    assert len(emails) == 2
    invite = emails[1].attachments[0]
    assert invite["mimetype"] == "text/calendar; method=CANCEL"
    assert ics_value(invite["content"], "METHOD") == "CANCEL"
    assert ics_value(invite["content"], "STATUS") == "CANCELLED"
    assert ics_value(invite["content"], "SEQUENCE") == "1"
    assert ics_value(invite["content"], "UID") == ics_value(emails[0].attachments[0]["content"], "UID")
    with pytest.raises(CallNotChangeable):
        reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=FIRST_SLOT + timedelta(hours=1))


def test_a_started_call_cannot_be_cancelled_or_moved(cast):
    with time_machine.travel(NOW, tick=False):
        on_duty_agent()
        call = book(cast.brand_admin)
    with time_machine.travel(FIRST_SLOT + timedelta(minutes=5), tick=False):
        with pytest.raises(CallNotChangeable):
            cancel_scheduled_call(actor=cast.brand_admin, call=call)
        with pytest.raises(CallNotChangeable):
            reschedule_scheduled_call(actor=cast.brand_admin, call=call, starts_at=FIRST_SLOT + timedelta(hours=4))


def test_staff_with_the_permission_cancel_and_others_cannot(cast, frozen):
    from django.contrib.auth.models import Permission

    on_duty_agent()
    call = book(cast.brand_admin)
    with pytest.raises(PermissionDenied):
        cancel_scheduled_call(actor=cast.standard_user, call=call)
    staff = StaffUserFactory()
    with pytest.raises(PermissionDenied):
        cancel_scheduled_call(actor=staff, call=call)
    staff.user_permissions.add(Permission.objects.get(codename="change_scheduledcall"))
    staff = type(staff).objects.get(pk=staff.pk)
    assert cancel_scheduled_call(actor=staff, call=call).status == "cancelled"
    assert call.ticket.events.filter(kind="scheduled_call").last().via == "admin"


# --- The invite -----------------------------------------------------------------------------------------
def test_the_invite_is_rfc_5545(cast, frozen):
    on_duty_agent()
    cast.brand_admin.language = "de"
    cast.brand_admin.save(update_fields=["language"])
    call = book(cast.brand_admin)
    email = OutboundEmail.objects.get(template="support_scheduled_call")
    text = email.attachments[0]["content"]
    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in raw_lines)
    assert "\n" not in text.replace("\r\n", "")
    lines = ics_lines(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    assert lines.index("METHOD:REQUEST") < lines.index("BEGIN:VEVENT")
    assert ics_value(text, "UID") == f"scheduled-call-{call.public_id}@127.0.0.1"
    assert ics_value(text, "DTSTART") == "20261203T110000Z"
    assert ics_value(text, "DTEND") == "20261203T113000Z"
    assert ics_value(text, "DTSTAMP") == "20261203T090000Z"
    assert ics_value(text, "STATUS") == "CONFIRMED"
    assert ics_value(text, "ORGANIZER").startswith("mailto:")
    assert ics_value(text, "ATTENDEE") == f"mailto:{cast.brand_admin.email}"
    summary = ics_value(text, "SUMMARY")
    assert summary == "Supportanruf von Acme Cloud: Quota logic review"  # the booker's language
    assert call.ticket.reference in ics_value(text, "DESCRIPTION")
    assert email.language == "de" and "Anruf gebucht: Donnerstag" in email.subject


def test_text_values_are_escaped_and_long_lines_folded_without_splitting_characters():
    from support.calendar import escape_text, fold

    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Überprüfung " * 20
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_delivered_email_carries_the_invite_as_text_calendar(cast, frozen):
    on_duty_agent()
    book(cast.brand_admin)
    email = OutboundEmail.objects.get(template="support_scheduled_call")
    assert deliver_email(email.pk)
    [message] = mail.outbox
    [part] = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert "BEGIN:VCALENDAR" in part.get_payload(decode=True).decode()


@pytest.mark.django_db(transaction=True)
def test_two_customers_submitting_the_same_slot_at_once_one_books_the_other_gets_fresh_times(cast):
    """Through the web: two signed-in customers post the last free agent's slot at the same
    moment. One is sent to the confirmation; the other gets 422 with a clear message at the time
    field and the times as they are now (without the taken one), keeping what was typed."""
    from django.test import Client
    from django.urls import reverse

    from support import product_data
    from support.slots import slot_key

    product_data.ensure()
    on_duty_agent()
    slot = slot_key(free_slots(surveys(), "en")[0].starts_at)
    url = reverse("support:scheduled_call_create", args=["surveys"]) + "?language=en"
    clients = []
    for user in (cast.brand_admin, cast.standard_user):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(2)
    responses = []

    def submit(client):
        start.wait(10)
        try:
            responses.append(client.post(url, {
                "date": slot[:10], "slot": slot, "subject": "Quota logic review",
                "description": "We would like to walk through our quota logic together.",
                "request_token": str(uuid.uuid4()),
            }))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(response.status_code for response in responses) == [302, 422]
    refused = next(response for response in responses if response.status_code == 422).content.decode()
    assert ("This time is no longer available. Please choose another time." in refused
            or "Sorry, this time was booked by someone else a moment ago. Please choose another time." in refused)
    assert f'value="{slot}"' not in refused
    assert 'value="Quota logic review"' in refused
    assert ScheduledCall.objects.filter(status="booked").count() == 1


def test_a_call_booked_after_the_assistant_carries_the_conversation_into_its_ticket(cast, frozen):
    on_duty_agent()
    conversation = assistant_conversation(cast.brand_admin)
    call = book_scheduled_call(
        actor=cast.brand_admin, area=surveys(), language="en", starts_at=FIRST_SLOT, subject="Quota logic review",
        description="We would like to walk through our quota logic together.", request_token=uuid.uuid4(),
        conversation=conversation,
    )
    assert call.ticket.description.startswith("We would like to walk through our quota logic together.")
    assert "Question: Why do quota counts stop updating?" in call.ticket.description
    conversation.refresh_from_db()
    assert conversation.ticket == call.ticket
