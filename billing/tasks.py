from celery import shared_task
from django.db import DatabaseError

from . import reminders


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=5)
def send_contract_reminders():
    """Daily (beat): contract window reminders (REN-8). Idempotent: a retry or a second run sends
    only what is still due."""
    return reminders.send_due_reminders()
