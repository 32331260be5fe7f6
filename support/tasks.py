"""Support's Celery tasks: thin, they call one service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def close_solved_tickets():
    """Beat, daily: solved tickets not reopened within the grace period are closed."""
    return services.close_solved_tickets(older_than=timedelta(days=settings.HUB_SUPPORT_CLOSE_SOLVED_AFTER_DAYS))


@shared_task
def fetch_support_mail():
    """Beat, every minute when HUB_SUPPORT_MAILDIR is set: ticket replies from the Maildir."""
    if settings.HUB_SUPPORT_MAILDIR:
        return services.fetch_maildir(settings.HUB_SUPPORT_MAILDIR)
    return None


@shared_task
def hand_over_enterprise_tickets():
    """Beat, every minute: designated users' requests that arrived outside Enterprise hours move
    to the Enterprise queue once its window is open (ENT-2)."""
    return services.hand_over_enterprise_tickets()


@shared_task
def end_closed_chats():
    """Beat, every minute: chats end when chat hours end or no agent is left to answer (SUP-7)."""
    return services.end_closed_chats()
