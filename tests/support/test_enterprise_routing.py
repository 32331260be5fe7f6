"""ENT-2: enterprise email and phone hours are Sunday 17:00 to Friday 17:00 Mountain Time. A
designated user's request outside them goes to general support with a flag; the beat task hands
it to the Enterprise queue when the window opens — once, with a timeline event. DST included."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from support import tasks
from support.models import EnterpriseHandover, ProductArea, Ticket, TicketEvent
from support.services import create_ticket, designate_enterprise_user, hand_over_enterprise_tickets

pytestmark = pytest.mark.django_db
EMAIL_FORM = reverse("support:email_request_create", args=["surveys"])
VALID = {"subject": "Dashboards time out", "description": "Every dashboard times out since this morning.",
         "language": "en"}

# December 2026: Mountain Time is MST (UTC-7).
FRIDAY_1659 = datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
FRIDAY_1700 = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
SUNDAY_1659 = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
SUNDAY_1700 = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


@pytest.fixture
def designated(cast):
    designate_enterprise_user(actor=cast.brand_admin, user=cast.standard_user)
    return cast.standard_user


def email_request(client, **extra):
    response = client.post(EMAIL_FORM, {**VALID, **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return Ticket.objects.latest("number")


def handed_over_events(ticket):
    return ticket.events.filter(kind=TicketEvent.Kind.HANDED_OVER).count()


def test_friday_1659_goes_straight_to_the_enterprise_queue(client_for, designated):
    with time_machine.travel(FRIDAY_1659, tick=False):
        ticket = email_request(client_for(designated))
    assert (ticket.queue, ticket.is_enterprise) == ("enterprise", True)
    assert not EnterpriseHandover.objects.exists()


def test_friday_1700_goes_to_general_support_with_a_flag_and_is_handed_over_sunday_1700_once(client_for, designated):
    with time_machine.travel(FRIDAY_1700, tick=False):
        ticket = email_request(client_for(designated))
    assert (ticket.queue, ticket.is_enterprise) == ("technical", True)
    assert EnterpriseHandover.objects.get().ticket == ticket
    with time_machine.travel(SUNDAY_1659, tick=False):
        assert tasks.hand_over_enterprise_tickets() == 0
    ticket.refresh_from_db()
    assert ticket.queue == "technical" and handed_over_events(ticket) == 0
    with time_machine.travel(SUNDAY_1700, tick=False):
        assert tasks.hand_over_enterprise_tickets() == 1
        assert tasks.hand_over_enterprise_tickets() == 0  # the rerun does nothing
    ticket.refresh_from_db()
    assert ticket.queue == "enterprise" and handed_over_events(ticket) == 1
    event = ticket.events.get(kind=TicketEvent.Kind.HANDED_OVER)
    assert event.data == {"from_queue": "technical", "to_queue": "enterprise"} and not event.is_internal
    assert EnterpriseHandover.objects.get().handed_over_at == SUNDAY_1700
    # The customer sees the hand-over on the timeline.
    page = client_for(designated).get(reverse("support:ticket_detail", args=[ticket.reference])).content.decode()
    assert "Enterprise Support took over your request." in page


def test_sunday_1659_is_still_general_support_and_sunday_1700_is_enterprise(cast, designated):
    area = ProductArea.objects.get(slug="surveys")
    with time_machine.travel(SUNDAY_1659, tick=False):
        before = create_ticket(requester=designated, subject="Phone", description="Call me", channel="phone",
                               language="en", product_area=area)
    with time_machine.travel(SUNDAY_1700, tick=False):
        after = create_ticket(requester=designated, subject="Phone", description="Call me", channel="phone",
                              language="en", product_area=area)
    assert (before.queue, before.is_enterprise, hasattr(before, "enterprise_handover")) == ("technical", True, True)
    assert (after.queue, after.is_enterprise) == ("enterprise", True)
    assert EnterpriseHandover.objects.count() == 1


def test_other_users_and_uncovered_requests_are_not_flagged(client_for, cast, designated):
    with time_machine.travel(FRIDAY_1700, tick=False):
        ticket = email_request(client_for(cast.billing_contact))
        assert (ticket.queue, ticket.is_enterprise) == ("technical", False)
        # Chat is not an Enterprise channel; Account Services requests are not either.
        chat = create_ticket(requester=designated, subject="Chat", description="Hello", channel="chat",
                             language="en", product_area=ProductArea.objects.get(slug="surveys"))
        assert (chat.queue, chat.is_enterprise) == ("technical", False)
        # Phone is Enterprise only in areas that say so (BX Dashboards does not).
        phone = create_ticket(requester=designated, subject="Phone", description="Call me", channel="phone",
                              language="en", product_area=ProductArea.objects.get(slug="bx-dashboards"))
        assert (phone.queue, phone.is_enterprise) == ("technical", False)
    assert not EnterpriseHandover.objects.exists()


def test_a_request_in_a_language_without_enterprise_hours_stays_with_general_support(client_for, designated):
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False):  # 10:00 CET, a Wednesday
        ticket = email_request(client_for(designated), language="de")
        assert (ticket.queue, ticket.is_enterprise, ticket.language) == ("technical", True, "de")
    assert not EnterpriseHandover.objects.exists()


def test_a_request_solved_before_the_window_opens_is_not_moved(client_for, designated):
    with time_machine.travel(FRIDAY_1700, tick=False):
        ticket = email_request(client_for(designated))
        client_for(designated).post(reverse("support:ticket_solve", args=[ticket.reference]))
    with time_machine.travel(SUNDAY_1700, tick=False):
        assert hand_over_enterprise_tickets() == 0
    ticket.refresh_from_db()
    assert ticket.queue == "technical" and handed_over_events(ticket) == 0
    assert EnterpriseHandover.objects.get().handed_over_at is not None  # done: never looked at again


def test_the_hand_over_works_in_bounded_batches(designated):
    area = ProductArea.objects.get(slug="surveys")
    with time_machine.travel(FRIDAY_1700, tick=False):
        tickets = [create_ticket(requester=designated, subject=f"Request {n}", description="Help", channel="email",
                                 language="en", product_area=area, notify=False) for n in range(7)]
    with time_machine.travel(SUNDAY_1700, tick=False):
        assert hand_over_enterprise_tickets(batch_size=3) == 7
        assert hand_over_enterprise_tickets(batch_size=3) == 0
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("queue", flat=True)) == {"enterprise"}
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.HANDED_OVER).count() == 7


@pytest.mark.parametrize("friday_open, friday_closed, sunday_closed, sunday_open", [
    # DST ends Sunday 1 November 2026: Friday is MDT (UTC-6), Sunday evening MST (UTC-7).
    (datetime(2026, 10, 30, 22, 59, tzinfo=UTC), datetime(2026, 10, 30, 23, 0, tzinfo=UTC),
     datetime(2026, 11, 1, 23, 59, tzinfo=UTC), datetime(2026, 11, 2, 0, 0, tzinfo=UTC)),
    # DST starts Sunday 8 March 2026: Friday is MST (UTC-7), Sunday evening MDT (UTC-6).
    (datetime(2026, 3, 6, 23, 59, tzinfo=UTC), datetime(2026, 3, 7, 0, 0, tzinfo=UTC),
     datetime(2026, 3, 8, 22, 59, tzinfo=UTC), datetime(2026, 3, 8, 23, 0, tzinfo=UTC)),
], ids=["dst-ends", "dst-starts"])
def test_dst_weeks_follow_mountain_time(designated, friday_open, friday_closed, sunday_closed, sunday_open):
    area = ProductArea.objects.get(slug="surveys")

    def request():
        return create_ticket(requester=designated, subject="Help", description="Help", channel="email",
                             language="en", product_area=area, notify=False)

    with time_machine.travel(friday_open, tick=False):
        assert request().queue == "enterprise"
    with time_machine.travel(friday_closed, tick=False):
        flagged = request()
        assert flagged.queue == "technical"
    with time_machine.travel(sunday_closed, tick=False):
        assert hand_over_enterprise_tickets() == 0
    with time_machine.travel(sunday_open, tick=False):
        assert hand_over_enterprise_tickets() == 1
        assert hand_over_enterprise_tickets() == 0
    flagged.refresh_from_db()
    assert flagged.queue == "enterprise" and handed_over_events(flagged) == 1


def test_the_beat_schedule_runs_the_hand_over(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["every-minute-enterprise-handover"]
    assert entry["task"] == "support.tasks.hand_over_enterprise_tickets"
