"""Support's reads, scoped to the viewer. The availability inputs are loaded here — in a fixed
number of queries — and handed to the pure engine as plain data."""

from datetime import datetime, timedelta

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from hub.access import is_customer

from . import availability
from .access import is_enterprise_designated
from .choices import ENGLISH, Channel, support_language_codes
from .models import (
    SEATS_PER_PACKAGE,
    Chat,
    EnterpriseDesignation,
    ProductArea,
    SupportAgent,
    SupportHoliday,
    SupportSchedule,
    Ticket,
    TicketEvent,
    number_from_reference,
)
from .models.shifts import AgentTimeOff, days_off, shift_schedules


def support_language_for(user, requested: str = "") -> str:
    """The language to ask support in: the one asked for, else the user's, else English."""
    codes = support_language_codes()
    for candidate in (requested, getattr(user, "language", ""), translation.get_language() or ""):
        candidate = (candidate or "").lower()
        if candidate in codes:
            return candidate
    return ENGLISH


def load_schedules(now: datetime) -> tuple[availability.Schedule, ...]:
    """Active support hours with their windows and the holidays inside the engine's horizon, as
    plain data (three queries, however many schedules)."""
    holidays = SupportHoliday.objects.filter(
        date__gte=(now - timedelta(days=2)).date(), date__lte=(now + availability.HORIZON + timedelta(days=2)).date()
    ).only("date")
    schedules = SupportSchedule.objects.filter(is_active=True).prefetch_related(
        "windows", Prefetch("holidays", queryset=holidays, to_attr="upcoming_holidays")
    )
    return tuple(
        schedule.as_rules(schedule.windows.all(), [holiday.date for holiday in schedule.upcoming_holidays])
        for schedule in schedules
    )


def chat_languages_online(area: ProductArea) -> frozenset[str]:
    """Languages with at least one agent online for chat who covers `area` (or every area)."""
    rows = (
        SupportAgent.objects.filter(is_online_for_chat=True, user__is_active=True)
        .filter(Q(product_areas=area) | Q(product_areas__isnull=True))
        .values_list("languages", flat=True)
    )
    return frozenset(language for languages in rows for language in languages)


def agents_with_shifts(*, languages=(), area: ProductArea | None = None, since: datetime | None = None) -> list[SupportAgent]:
    """Active agents who speak any of `languages` (when given) and cover `area` (or every area),
    with their shifts and their time off from the day before `since` (now) on: three queries,
    however many rows."""
    agents = SupportAgent.objects.filter(user__is_active=True).select_related("user")
    if languages:
        agents = agents.filter(languages__overlap=list(languages))
    if area is not None:
        agents = agents.filter(Q(product_areas=area) | Q(product_areas__isnull=True)).distinct()
    since = since or timezone.now()
    current = AgentTimeOff.objects.filter(last_day__gte=since.date() - timedelta(days=2))
    return list(agents.prefetch_related("shifts", Prefetch("time_off", queryset=current)))


def shift_intervals(agent: SupportAgent, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """When `agent` is on shift inside [start, end), merged, in UTC, leaving out their days off
    (shifts and time off prefetched)."""
    off = days_off(agent.time_off.all(), start, end)
    return availability.open_intervals(shift_schedules(agent.shifts.all(), off), start, end)


def agents_on_shift(at: datetime, *, language: str = "", area: ProductArea | None = None) -> list[SupportAgent]:
    """Active agents whose shift covers `at`, speaking `language` and covering `area` when given."""
    moment = (at, at + timedelta(microseconds=1))
    return [
        agent for agent in agents_with_shifts(languages=[language] if language else (), area=area, since=at)
        if shift_intervals(agent, *moment)
    ]


def customer_rules(user) -> availability.Customer:
    organization = user.organization
    return availability.Customer(
        license_type=organization.license_type,
        success_packages=organization.success_packages,
        enterprise_designated=is_enterprise_designated(user),
    )


def channel_statuses(user, area: ProductArea, language: str, now: datetime | None = None):
    """SUP-5 for this user, area and language at `now`: every channel's status, in order."""
    now = now or timezone.now()
    return availability.evaluate(
        customer=customer_rules(user),
        area=area.as_rules(),
        language=language,
        now=now,
        schedules=load_schedules(now),
        chat_languages_online=chat_languages_online(area),
    )


def _one_channel(channel, user, area: ProductArea, language: str, now: datetime | None):
    """One channel's status for this user, area and language at `now` (chat also asks who is online)."""
    now = now or timezone.now()
    return availability.channel_status(
        channel,
        customer=customer_rules(user),
        area=area.as_rules(),
        language=language,
        now=now,
        schedules=load_schedules(now),
        **({"chat_languages_online": chat_languages_online(area)} if channel == Channel.CHAT else {}),
    )


def email_status(user, area: ProductArea, language: str, now: datetime | None = None):
    """The email channel alone (the email form and its service ask this)."""
    return _one_channel(Channel.EMAIL, user, area, language, now)


def active_areas():
    return ProductArea.objects.active()


def open_tickets_in_area(user, area: ProductArea):
    """The duplicate guard: the user's own unresolved tickets about the same area."""
    if not is_customer(user):
        return Ticket.objects.none()
    return (
        Ticket.objects.requested_by(user).unresolved().filter(product_area=area)
        .order_by("-last_activity_at")[:5]
    )


def ticket_list(user, *, organization_wide: bool, status: str = "", query: str = ""):
    """My tickets (or, for brand admins who ask, the organization's), filtered and searched."""
    tickets = Ticket.objects.visible_to(user)
    if not organization_wide:
        tickets = tickets.requested_by(user)
    if status == "unresolved":
        tickets = tickets.unresolved()
    elif status:
        tickets = tickets.filter(status=status)
    if query:
        number = number_from_reference(query)
        match = Q(subject__icontains=query) | Q(description__icontains=query)
        if number is not None:
            match |= Q(number=number)
        tickets = tickets.filter(match)
    return tickets.select_related("product_area", "requester").order_by("-last_activity_at", "-number")


def ticket_timeline(ticket):
    """A ticket's events as its customer sees them (staff-only entries left out), with authors
    and attachments, in two queries."""
    return (
        ticket.events.filter(is_internal=False)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def unresolved_ticket_count(user) -> int:
    return Ticket.objects.requested_by(user).unresolved().count() if is_customer(user) else 0


# --- Enterprise Support (ENT-1) ------------------------------------------------------------------
def enterprise_seats(organization) -> int:
    return SEATS_PER_PACKAGE * organization.success_packages


def enterprise_designees(organization):
    """The organization's users designated now, oldest designation first (one query)."""
    return (
        EnterpriseDesignation.objects.active().filter(organization=organization)
        .select_related("user", "designated_by").order_by("designated_at", "pk")
    )


def enterprise_seats_used(organization) -> int:
    return EnterpriseDesignation.objects.active().filter(organization=organization).count()


def enterprise_candidates(organization):
    """Active users of the organization who hold no seat yet: whom a brand admin may designate."""
    taken = EnterpriseDesignation.objects.active().filter(organization=organization).values("user_id")
    return (
        organization.users.filter(is_active=True, deleted_at__isnull=True).exclude(pk__in=taken)
        .order_by("first_name", "last_name", "username")
    )


def enterprise_designation_history(organization, limit: int = 10):
    """Who designated or removed whom, and when: the latest `limit` changes, newest first (one
    query; each row is a designation, and a removal when it was removed)."""
    rows = (
        EnterpriseDesignation.objects.filter(organization=organization)
        .select_related("user", "designated_by", "removed_by")
        .order_by(Coalesce("removed_at", "designated_at").desc(), "-pk")[:limit]
    )
    changes = []
    for row in rows:
        changes.append({"kind": "designated", "at": row.designated_at, "user": row.user, "by": row.designated_by})
        if row.removed_at is not None:
            changes.append({"kind": "removed", "at": row.removed_at, "user": row.user, "by": row.removed_by})
    changes.sort(key=lambda change: change["at"], reverse=True)
    return changes[:limit]


def chat_status(user, area: ProductArea, language: str, now: datetime | None = None):
    """The chat channel alone (SUP-5): hours, license, area, language and an agent online."""
    return _one_channel(Channel.CHAT, user, area, language, now)


def chat_messages(chat, *, after: int = 0):
    """A chat's messages (and its notices) after the cursor `after` (an event id), oldest first,
    with their authors: one query, on the ticket's event index."""
    return (
        TicketEvent.objects.filter(ticket_id=chat.ticket_id, kind=TicketEvent.Kind.CHAT_MESSAGE, pk__gt=after,
                                   data__chat=str(chat.public_id))
        .select_related("author")
        .order_by("pk")
    )


def chats_for_console(staff_user):
    """The chat console: unfinished chats in the queues the staff member works, waiting ones
    first (longest waiting on top), then those in progress."""
    from .access import staff_queues

    return (
        Chat.objects.unfinished()
        .filter(ticket__queue__in=staff_queues(staff_user))
        .select_related("ticket", "customer", "organization", "product_area", "agent")
        .order_by("-status", "started_at")  # descending: "waiting" before "active"
    )
