from celery import shared_task
from django.utils import timezone

from . import notifications
from .models import Heartbeat


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=notifications.MAX_ATTEMPTS,
)
def deliver_email(self, email_id):
    notifications.deliver_email(email_id)


@shared_task
def requeue_stalled_emails():
    return notifications.requeue_stalled_emails()


@shared_task
def record_heartbeat():
    """Scheduled by beat every minute and run by a worker: /health/ reads its time."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
