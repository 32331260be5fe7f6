"""Enterprise Support (ENT-1..3): designations, the routing of designated users' requests and
their hand-over when the Enterprise window opens, escalation and the customer's verification."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hub.access import forget_access, is_brand_admin
from hub.models import Organization

from .. import availability, selectors
from ..access import can_verify_ticket, is_enterprise_designated, staff_queues
from ..choices import Channel, Queue
from ..models import (
    EnterpriseDesignation,
    EnterpriseHandover,
    EnterpriseVerification,
    ProductArea,
    Ticket,
    TicketEvent,
)
from . import emails

# ENT-2: the channels with Enterprise hours. Scheduled calls are booked into agents' shifts.
ROUTED_CHANNELS = (Channel.EMAIL, Channel.PHONE)


# --- ENT-1: designations ---------------------------------------------------------------------------
def _require_designating_admin(actor, organization_id):
    if not (is_brand_admin(actor) and actor.organization_id == organization_id):
        raise PermissionDenied("Only the organization's brand administrators designate Enterprise Support users.")


def designate_enterprise_user(*, actor, user) -> EnterpriseDesignation:
    """Give `user` an Enterprise Support seat. The organization row is locked, so two
    administrators designating at once cannot exceed 5 seats per Success package."""
    _require_designating_admin(actor, user.organization_id)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
        seats = selectors.enterprise_seats(organization)
        if not (user.is_active and user.deleted_at is None):
            raise ValidationError(_("Only active users can be designated."), code="inactive_user")
        active = EnterpriseDesignation.objects.active().filter(organization=organization)
        if active.filter(user=user).exists():
            raise ValidationError(_("This user is already designated for Enterprise Support."), code="already_designated")
        if active.count() >= seats:
            raise ValidationError(
                ngettext_lazy(
                    "All %(seats)d Enterprise Support seat is taken. Remove a designated user to free it.",
                    "All %(seats)d Enterprise Support seats are taken. Remove a designated user to free one.",
                    "seats",
                ) % {"seats": seats},
                code="no_seat_left",
            )
        try:
            with transaction.atomic():
                designation = EnterpriseDesignation.objects.create(
                    organization=organization, user=user, designated_by=actor,
                )
        except IntegrityError as exc:  # the partial unique index: designated meanwhile
            raise ValidationError(
                _("This user is already designated for Enterprise Support."), code="already_designated"
            ) from exc
    forget_access(user)
    return designation


def remove_enterprise_designation(*, actor, designation: EnterpriseDesignation) -> EnterpriseDesignation:
    """Free the seat; the row stays as history (who removed whom, when). Removing twice does nothing."""
    _require_designating_admin(actor, designation.organization_id)
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=designation.organization_id)
        designation = EnterpriseDesignation.objects.select_for_update().get(pk=designation.pk)
        if designation.removed_at is None:
            designation.removed_at, designation.removed_by = timezone.now(), actor
            designation.save(update_fields=["removed_at", "removed_by"])
    return designation


# --- ENT-2: routing and hand-over ------------------------------------------------------------------
@dataclass(frozen=True)
class Routing:
    is_enterprise: bool = False
    queue: str | None = None  # None: the area's own queue
    hand_over_later: bool = False


def route_request(*, requester, channel: str, product_area: ProductArea | None, language: str,
                  now: datetime | None = None) -> Routing:
    """Where a new request of `requester` goes. A designated user's email or phone request goes to
    the Enterprise queue within Enterprise hours; outside them, to general support with a flag,
    and the hand-over task moves it when the window opens."""
    if channel not in ROUTED_CHANNELS or product_area is None or not is_enterprise_designated(requester):
        return Routing()
    from ..selectors import customer_rules, load_schedules

    now = now or timezone.now()
    schedules = load_schedules(now)
    status = availability.channel_status(
        channel, customer=customer_rules(requester), area=product_area.as_rules(), language=language, now=now,
        schedules=schedules,
    )
    if not status.enterprise:
        return Routing()
    window = availability.enterprise_opening(schedules, channel, language, now)
    if window is None:  # no Enterprise hours in this language: general support answers it
        return Routing(is_enterprise=True)
    if window.is_open:
        return Routing(is_enterprise=True, queue=Queue.ENTERPRISE)
    return Routing(is_enterprise=True, hand_over_later=True)


def hand_over_enterprise_tickets(*, batch_size: int = 200) -> int:
    """Beat: flagged requests whose Enterprise window is open now move to the Enterprise queue,
    each once, with a timeline event. Keyset batches over the pending rows; the claim is the
    conditional update of `handed_over_at`, so a rerun or a second worker does nothing twice."""
    from ..selectors import load_schedules

    now = timezone.now()
    schedules = load_schedules(now)
    windows: dict[tuple[str, str], bool] = {}
    handed = 0
    last_pk = 0
    while True:
        rows = list(
            EnterpriseHandover.objects.filter(handed_over_at__isnull=True, pk__gt=last_pk)
            .order_by("pk").values_list("pk", "ticket__channel", "ticket__language")[:batch_size]
        )
        if not rows:
            return handed
        for pk, channel, language in rows:
            if (channel, language) not in windows:
                window = availability.enterprise_opening(schedules, channel, language, now)
                windows[(channel, language)] = window is not None and window.is_open
            if windows[(channel, language)] and _hand_over(pk, now):
                handed += 1
        last_pk = rows[-1][0]


def _hand_over(pk, now) -> bool:
    with transaction.atomic():
        handover = EnterpriseHandover.objects.select_for_update(skip_locked=True).filter(
            pk=pk, handed_over_at__isnull=True
        ).first()
        if handover is None:
            return False
        ticket = Ticket.objects.select_for_update().get(pk=handover.ticket_id)
        handover.handed_over_at = now
        handover.save(update_fields=["handed_over_at"])
        if not ticket.is_unresolved or ticket.queue == Queue.ENTERPRISE:
            return False  # solved meanwhile, or staff moved it already: nothing to hand over
        previous = ticket.queue
        ticket.queue = Queue.ENTERPRISE
        ticket.save(update_fields=["queue"])
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.HANDED_OVER, via=TicketEvent.Via.SYSTEM, created_at=now,
            data={"from_queue": previous, "to_queue": Queue.ENTERPRISE},
        )
    return True


# --- ENT-3: escalation and verification -----------------------------------------------------------
def escalate_to_enterprise(*, actor, ticket: Ticket) -> EnterpriseVerification | None:
    """Staff move a ticket to Enterprise Support; it waits for the customer to verify their
    identity and to say whether support may access their account. Escalating a ticket that
    already waits does nothing."""
    if not (actor.is_active and actor.is_staff and actor.has_perm("support.reply_ticket")):
        raise PermissionDenied("You may not work on tickets.")
    queues = staff_queues(actor)
    if ticket.queue not in queues or Queue.ENTERPRISE not in queues:
        raise PermissionDenied("You cannot move tickets to a queue you do not work.")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)
        if ticket.status == Ticket.Status.VERIFICATION_REQUIRED:
            return None
        if not ticket.is_unresolved:
            raise ValidationError(_("Only open requests can be escalated."), code="resolved")
        verification = EnterpriseVerification.objects.create(
            ticket=ticket, escalated_by=actor, escalated_at=now, previous_status=ticket.status,
        )
        event = TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.VERIFICATION, via=TicketEvent.Via.ADMIN, author=actor,
            from_status=ticket.status, to_status=Ticket.Status.VERIFICATION_REQUIRED, created_at=now,
            data={"escalated": True, "from_queue": ticket.queue},
        )
        ticket.queue, ticket.is_enterprise = Queue.ENTERPRISE, True
        ticket.status, ticket.solved_at, ticket.last_activity_at = Ticket.Status.VERIFICATION_REQUIRED, None, now
        ticket.save(update_fields=["queue", "is_enterprise", "status", "solved_at", "last_activity_at"])
        emails.send_status_changed(ticket, event)
    return verification


def confirm_enterprise_verification(*, actor, ticket: Ticket, allows_account_access: bool) -> EnterpriseVerification:
    """The requester, just re-authenticated, verifies and chooses whether support may access
    their account; the ticket opens again for Enterprise Support."""
    if not can_verify_ticket(actor, ticket):
        raise PermissionDenied("Only the requester verifies a request that waits for verification.")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        verification = (
            EnterpriseVerification.objects.select_for_update().filter(ticket=ticket, verified_at__isnull=True).first()
        )
        if ticket.status != Ticket.Status.VERIFICATION_REQUIRED or verification is None:
            raise ValidationError(_("This request does not wait for verification."), code="not_pending")
        verification.verified_at, verification.verified_by = now, actor
        verification.allows_account_access = allows_account_access
        verification.save(update_fields=["verified_at", "verified_by", "allows_account_access"])
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.VERIFICATION, via=TicketEvent.Via.WEB, author=actor,
            from_status=ticket.status, to_status=Ticket.Status.OPEN, created_at=now,
            data={"verified": True, "allows_account_access": allows_account_access},
        )
        ticket.status, ticket.last_activity_at = Ticket.Status.OPEN, now
        ticket.save(update_fields=["status", "last_activity_at"])
    return verification


def refuse_while_unverified(ticket: Ticket):
    """Staff actions wait for the customer's verification (ENT-3)."""
    if ticket.status == Ticket.Status.VERIFICATION_REQUIRED:
        raise ValidationError(
            _("The customer has not verified this request yet. Staff actions are possible after they verify."),
            code="verification_required",
        )
