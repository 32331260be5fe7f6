"""ENT-2 end to end: the hand-over task on a real Celery worker (real Redis broker, committed
data) moves a flagged request once the Enterprise window is open, and a second run changes nothing."""

from datetime import UTC, datetime

import pytest
import time_machine

from support import product_data
from support.models import EnterpriseHandover, ProductArea, TicketEvent
from support.services import create_ticket, designate_enterprise_user
from support.tasks import hand_over_enterprise_tickets
from tests.conftest import wait_for

pytestmark = pytest.mark.celery_worker


def test_the_hand_over_runs_on_a_real_worker_once(celery_worker, cast):
    product_data.ensure()
    designate_enterprise_user(actor=cast.brand_admin, user=cast.standard_user)
    area = ProductArea.objects.get(slug="surveys")
    with time_machine.travel(datetime(2026, 12, 5, 0, 0, tzinfo=UTC), tick=False):  # Friday 17:00 MST
        ticket = create_ticket(requester=cast.standard_user, subject="Help", description="Help", channel="email",
                               language="en", product_area=area, notify=False)
    assert ticket.queue == "technical"
    with time_machine.travel(datetime(2026, 12, 7, 0, 0, 5, tzinfo=UTC)):  # Sunday 17:00 MST, ticking
        hand_over_enterprise_tickets.delay()
        assert wait_for(lambda: EnterpriseHandover.objects.filter(handed_over_at__isnull=False).exists(), timeout=30)
        assert hand_over_enterprise_tickets() == 0  # a second run (beat again) finds nothing left
    ticket.refresh_from_db()
    assert ticket.queue == "enterprise"
    assert ticket.events.filter(kind=TicketEvent.Kind.HANDED_OVER).count() == 1
