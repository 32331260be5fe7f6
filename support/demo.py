"""Support's demo data: an agent online for chat, holidays, and a few tickets with timelines.
Idempotent (tickets are found again by requester and subject); dates relative to today."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import User

from . import product_data
from .models import (
    AgentShift,
    EnterpriseDesignation,
    ProductArea,
    SupportAgent,
    SupportHoliday,
    SupportSchedule,
    Ticket,
    TicketEvent,
)
from .services import create_ticket, designate_enterprise_user, escalate_to_enterprise

S = Ticket.Status
K = TicketEvent.Kind

# (requester, subject, area slug or None, queue override, category, days ago, status, timeline)
# timeline: (kind, author key "customer"/"agent"/None, body, from status, to status, days ago)
TICKETS = [
    ("standard.user", "Survey links expire after one day", "surveys", None, "", 3, S.AWAITING_CUSTOMER, [
        (K.CREATED, "customer", "Respondents who open the anonymous link on the second day see "
         "\"This survey is no longer available\". The survey should stay open for two weeks.", "", S.NEW, 3),
        (K.AGENT_REPLY, "agent", "Thank you for the details. The survey has an expiration date set in "
         "Survey options > Responses. Could you check whether it is set to one day after distribution?",
         S.NEW, S.AWAITING_CUSTOMER, 2),
    ]),
    ("standard.user", "Scheduled dashboard export arrives empty", "cx-dashboards", None, "", 12, S.SOLVED, [
        (K.CREATED, "customer", "The weekly PDF export of our NPS dashboard arrives without any widgets.", "", S.NEW, 12),
        (K.AGENT_REPLY, "agent", "The export ran under a user whose role lost access to the data source. "
         "We re-enabled it; next Monday's export will be complete.", S.NEW, S.SOLVED, 10),
    ]),
    ("brand.admin", "New users loop back to the sign-in page", "sso", None, "", 1, S.OPEN, [
        (K.CREATED, "customer", "Since yesterday, users provisioned through SSO return to the sign-in page "
         "after authenticating with our identity provider.", "", S.NEW, 1),
    ]),
    ("brand.admin", "Invoice should show our new billing address", None, None, "billing_payment", 5, S.NEW, [
        (K.CREATED, "customer", "We moved offices. Please use Hafenstraße 12, 20457 Hamburg on future invoices.",
         "", S.NEW, 5),
    ]),
]

HOLIDAYS = [((12, 25), "Christmas Day"), ((1, 1), "New Year's Day")]


@transaction.atomic
def seed(out):
    product_data.seed()
    agent_user = User.objects.get(username="support.agent")
    agent, _ = SupportAgent.objects.update_or_create(
        user=agent_user, defaults={"languages": ["en", "es"], "is_online_for_chat": True,
                                   "online_changed_at": timezone.now()},
    )
    for weekday in range(5):
        AgentShift.objects.get_or_create(
            agent=agent, weekday=weekday,
            defaults={"starts": time(7, 0), "ends": time(17, 0), "time_zone": "America/Denver"},
        )
    schedules = list(SupportSchedule.objects.filter(is_always_open=False, is_enterprise=False))
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        for (month, day), name in HOLIDAYS:
            holiday, _ = SupportHoliday.objects.get_or_create(date=date(year, month, day), name=name)
            holiday.schedules.add(*schedules)
    created = 0
    now = timezone.now()
    for username, subject, area_slug, queue, category, days_ago, status, timeline in TICKETS:
        requester = User.objects.get(username=username)
        if Ticket.objects.filter(requester=requester, subject=subject).exists():
            continue
        area = ProductArea.objects.get(slug=area_slug) if area_slug else None
        started = now - timedelta(days=days_ago)
        ticket = Ticket.objects.create(
            organization=requester.organization, requester=requester, product_area=area, channel="email",
            queue=queue or ("account_services" if category else area.queue), language="en", subject=subject,
            description=timeline[0][2], status=status, category=category,
            source="billing" if category else "support", created_at=started,
            last_activity_at=now - timedelta(days=timeline[-1][5]),
            solved_at=now - timedelta(days=timeline[-1][5]) if status == S.SOLVED else None,
            assignee=agent_user if status != S.NEW else None,
        )
        for kind, author, body, before, after, ago in timeline:
            TicketEvent.objects.create(
                ticket=ticket, kind=kind, via="admin" if author == "agent" else "web",
                author=agent_user if author == "agent" else requester, body=body,
                from_status=before, to_status=after, created_at=now - timedelta(days=ago),
            )
        created += 1
    escalated = seed_enterprise(agent_user)
    out.write(f"support: 1 agent online for chat, {len(HOLIDAYS) * 2} holidays, {created} tickets added; "
              f"Enterprise Support: brand.admin designated, {escalated} escalated ticket waiting for verification")


ESCALATED_SUBJECT = "Responses missing after the contact import"


def seed_enterprise(agent_user):
    """ENT-1/ENT-3: Northwind's brand administrator holds an Enterprise Support seat, and one of
    their requests was escalated and waits for them to Verify and confirm."""
    admin = User.objects.get(username="brand.admin")
    if not EnterpriseDesignation.objects.active().filter(user=admin).exists():
        designate_enterprise_user(actor=admin, user=admin)
    if Ticket.objects.filter(requester=admin, subject=ESCALATED_SUBJECT).exists():
        return 0
    ticket = create_ticket(
        requester=admin, subject=ESCALATED_SUBJECT, channel="email", language="en",
        product_area=ProductArea.objects.get(slug="surveys"), notify=False,
        description="After importing 12,000 contacts into the directory, responses of last week's "
        "survey no longer show their contact's embedded data.",
    )
    escalate_to_enterprise(actor=agent_user, ticket=ticket)
    return 1
