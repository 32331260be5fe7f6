"""CSAT (SUP-6): the requester rates a solved ticket once — good or bad — and says why after a
bad rating. Staff read the scores in the admin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Ticket, TicketEvent, TicketRating


def rate_ticket(*, actor, ticket: Ticket, score: str) -> TicketRating:
    """Record the rating; a second one is refused (the unique ticket column makes it race-free)."""
    if actor.pk != ticket.requester_id:
        raise PermissionDenied("Only the requester can rate this request.")
    if score not in TicketRating.Score.values:
        raise ValidationError(_("Choose good or bad."), code="invalid_score")
    if not ticket.can_be_rated:
        raise ValidationError(_("You can rate a request once it is solved."), code="not_solved")
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = TicketRating.objects.create(ticket=ticket, score=score, rated_by=actor, created_at=now)
            TicketEvent.objects.create(
                ticket=ticket, kind=TicketEvent.Kind.RATED, author=actor, data={"score": score}, created_at=now,
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already rated this request."), code="already_rated") from exc
    return rating


def explain_rating(*, actor, ticket: Ticket, reason: str, comment: str = "") -> TicketRating:
    """After a bad rating, once: what went wrong."""
    if actor.pk != ticket.requester_id:
        raise PermissionDenied("Only the requester can rate this request.")
    if reason not in TicketRating.Reason.values:
        raise ValidationError(_("Choose what went wrong."), code="invalid_reason")
    with transaction.atomic():
        rating = TicketRating.objects.select_for_update().filter(ticket=ticket).first()
        if rating is None or rating.score != TicketRating.Score.BAD or rating.reason:
            raise ValidationError(_("There is nothing to add to this rating."), code="nothing_to_explain")
        rating.reason, rating.comment = reason, comment.strip()
        rating.save(update_fields=["reason", "comment"])
    return rating
