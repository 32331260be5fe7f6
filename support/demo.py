"""Support's demo data: an agent online for chat, agents on shifts and callbacks (CB-2), holidays,
and a few tickets with timelines.
Idempotent (tickets are found again by requester and subject); dates relative to today."""

import uuid
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import User

from . import product_data, scheduling
from .knowledge.loader import load_articles
from .models import (
    AgentShift,
    Callback,
    EnterpriseDesignation,
    ProductArea,
    ScheduledCall,
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

# CB-2: more agents, so the callback waits differ by language and hour. They work in the admin
# only (no password). username → (first, last, languages, weekdays, starts, ends, zone)
CALLBACK_AGENTS = {
    "agent.berlin": ("Lena", "Fischer", ["de", "en"], range(5), time(8, 0), time(16, 30), "Europe/Berlin"),
    "agent.madrid": ("Lucía", "Ortega", ["es", "pt-br", "en"], range(5), time(8, 0), time(16, 30), "Europe/Madrid"),
    "agent.tokyo": ("Haruto", "Sato", ["ja", "en"], range(5), time(9, 0), time(17, 0), "Asia/Tokyo"),
    "agent.night": ("Sam", "O'Neill", ["en"], range(7), time(17, 0), time(7, 0), "America/Denver"),
    "agent.weekend": ("Ava", "Brown", ["en"], (5, 6), time(7, 0), time(17, 0), "America/Denver"),
}
# Completed calls (handle minutes, days ago) feed the average handle time; two German requests wait.
COMPLETED_CALLS = [(6, 1), (9, 1), (12, 2), (7, 3), (10, 4), (8, 5)]
WAITING_CALLS = [("brand.admin", "de", "Umfrage-Export bricht ab", 25), ("billing.contact", "de", "Quoten zurücksetzen", 10)]


@transaction.atomic
def seed(out):
    product_data.seed()
    report = load_articles()
    out.write(f"support: knowledge base: {len(report.created)} articles created, {len(report.updated)} updated, "
              f"{len(report.errors)} files with errors")
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
    callbacks = _seed_callbacks(agent_user, now)
    booked = _seed_scheduled_calls(agent)
    out.write(f"support: 1 agent online for chat, {len(CALLBACK_AGENTS)} more agents on shifts, "
              f"{len(HOLIDAYS) * 2} holidays, {created} tickets, {callbacks} callbacks and {booked} scheduled call added; "
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


def _seed_callbacks(agent_user, now):
    for username, (first, last, languages, days, starts, ends, zone) in CALLBACK_AGENTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@vendor.example", "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        agent, _ = SupportAgent.objects.update_or_create(user=user, defaults={"languages": languages})
        for weekday in days:
            AgentShift.objects.get_or_create(agent=agent, weekday=weekday,
                                             defaults={"starts": starts, "ends": ends, "time_zone": zone})
    area = ProductArea.objects.get(slug="surveys")
    added = 0
    calls = [("brand.admin", "en", f"Callback about survey distribution #{index + 1}", ago * 24 * 60, minutes)
             for index, (minutes, ago) in enumerate(COMPLETED_CALLS)]
    calls += [(username, language, subject, minutes_ago, None) for username, language, subject, minutes_ago in WAITING_CALLS]
    for username, language, subject, minutes_ago, handle in calls:
        requester = User.objects.get(username=username)
        if Callback.objects.filter(requester=requester, subject=subject).exists():
            continue
        requested = now - timedelta(minutes=minutes_ago)
        ticket = Ticket.objects.create(
            organization=requester.organization, requester=requester, product_area=area, channel="phone",
            queue=area.queue, language=language, subject=subject, description=subject,
            status=S.OPEN if handle else S.NEW, created_at=requested, last_activity_at=requested,
            assignee=agent_user if handle else None,
        )
        TicketEvent.objects.create(ticket=ticket, kind=K.CREATED, author=requester, body=subject, to_status=S.NEW,
                                   created_at=requested)
        started = requested + timedelta(minutes=4) if handle else None
        ended = started + timedelta(minutes=handle) if handle else None
        Callback.objects.create(
            ticket=ticket, organization=requester.organization, requester=requester, product_area=area,
            language=language, country="DE" if language == "de" else "US",
            phone="+4930901820" if language == "de" else "+13035550142", email=requester.email, subject=subject,
            consents_to_recording=True, submission_key=uuid.uuid4(), requested_at=requested,
            status=Callback.Status.COMPLETED if handle else Callback.Status.QUEUED,
            agent=agent_user if handle else None, started_at=started, ended_at=ended,
        )
        if handle:
            for action, moment, extra in (("started", started, {}), ("completed", ended, {
                    "duration_seconds": handle * 60, "duration_minutes": handle})):
                TicketEvent.objects.create(ticket=ticket, kind=K.CALLBACK, via="admin", author=agent_user,
                                           data={"action": action, **extra}, created_at=moment)
        added += 1
    return added


# SCH-1: a second agent in Berlin (German, English, French) so that Northwind's users can book calls
# in German; brand.admin has one call booked a few days ahead (found again by its subject).
EU_AGENT = ("lena.vogel", "Lena", "Vogel", "lena.vogel@vendor.example", ["de", "en", "fr"])
DEMO_CALL_SUBJECT = "Walk through our quota set-up"


def _seed_scheduled_calls(us_agent) -> int:
    username, first, last, email, languages = EU_AGENT
    user, made = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email, "is_staff": True},
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    eu_agent, _ = SupportAgent.objects.update_or_create(user=user, defaults={"languages": languages})
    for weekday in range(5):
        AgentShift.objects.get_or_create(
            agent=eu_agent, weekday=weekday,
            defaults={"starts": time(8, 0), "ends": time(16, 30), "time_zone": "Europe/Berlin"},
        )
    requester = User.objects.get(username="brand.admin")
    if ScheduledCall.objects.filter(requester=requester, ticket__subject=DEMO_CALL_SUBJECT).exists():
        return 0
    area = ProductArea.objects.get(slug="surveys")
    soon = timezone.now() + timedelta(days=3)
    slot = next((s for s in scheduling.free_slots(area, "en") if s.starts_at >= soon and us_agent.pk in s.agent_ids),
                None)
    if slot is None:
        return 0
    description = "We would like to review the quota logic of our customer survey before the next wave."
    ticket = Ticket.objects.create(
        organization=requester.organization, requester=requester, product_area=area, channel="scheduled_call",
        queue=area.queue, language="en", subject=DEMO_CALL_SUBJECT, description=description,
        assignee=us_agent.user,
    )
    TicketEvent.objects.create(ticket=ticket, kind=K.CREATED, author=requester, body=description, to_status=S.NEW)
    call = ScheduledCall.objects.create(
        ticket=ticket, organization=requester.organization, requester=requester, product_area=area,
        agent=us_agent, language="en", starts_at=slot.starts_at, ends_at=slot.ends_at, request_token=uuid.uuid4(),
    )
    TicketEvent.objects.create(
        ticket=ticket, kind=K.SCHEDULED_CALL, author=requester,
        data={"action": "booked", "starts_at": call.starts_at.isoformat(), "ends_at": call.ends_at.isoformat()},
    )
    return 1
