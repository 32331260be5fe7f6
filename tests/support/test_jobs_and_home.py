"""The daily close of solved tickets (beat), and support on the home page (HOME-2)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from support import tasks
from support.models import Ticket
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_solved_tickets_close_after_the_grace_period_once_with_an_email(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.HUB_SUPPORT_CLOSE_SOLVED_AFTER_DAYS = 7
    old = TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED,
                        solved_at=timezone.now() - timedelta(days=8))
    recent = TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED,
                           solved_at=timezone.now() - timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_solved_tickets() == 1
        assert tasks.close_solved_tickets() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Ticket.Status.CLOSED, Ticket.Status.SOLVED)
    assert old.events.filter(kind="status_changed", to_status="closed", via="system").count() == 1
    [email] = mail.outbox
    assert old.reference in email.subject and "This request is closed" in email.body


def test_the_close_job_works_in_bounded_batches(cast):
    for _ in range(5):
        TicketFactory(requester=cast.standard_user, status=Ticket.Status.SOLVED,
                      solved_at=timezone.now() - timedelta(days=30))
    from support.services import close_solved_tickets

    assert close_solved_tickets(older_than=timedelta(days=7), batch_size=2) == 5


def test_the_home_page_links_to_support_and_counts_open_requests(client_for, cast):
    TicketFactory(requester=cast.standard_user)
    TicketFactory(requester=cast.standard_user, status=Ticket.Status.CLOSED)
    html = client_for(cast.standard_user).get("/").content.decode()
    assert reverse("support:contact") in html and reverse("support:ticket_list") in html
    assert "1 open" in html


def test_the_beat_schedule_closes_solved_tickets_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["daily-close-solved-tickets"]
    assert entry["task"] == "support.tasks.close_solved_tickets"
