"""Outgoing email: queued durably, rendered in the recipient's language, delivered at most once."""

import pytest
from django.core import mail

from hub import notifications
from hub.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _queue(user, **extra):
    return notifications.queue_email(
        to_email=user.email, template="allauth/password_reset_key", user=user,
        context={"password_reset_url": "https://hub.example/reset/abc/", "username": user.username}, **extra,
    )


def test_email_is_rendered_in_the_recipients_language(cast, django_capture_on_commit_callbacks):
    cast.standard_user.language = "de"
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(cast.standard_user)
    assert email.language == "de"
    assert "Passwort" in email.subject
    assert mail.outbox[0].subject == email.subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_delivery_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _queue(cast.standard_user)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_same_idempotency_key_queues_one_email(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(cast.standard_user, idempotency_key="reminder:1")
        second = _queue(cast.standard_user, idempotency_key="reminder:1")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_a_delivered_email_is_never_sent_again(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(cast.standard_user)
    assert notifications.deliver_email(email.pk) is False
    assert len(mail.outbox) == 1


def test_failures_retry_then_give_up_without_losing_the_row(cast, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with django_capture_on_commit_callbacks(execute=False):
        email = _queue(cast.standard_user)
    for _attempt in range(notifications.MAX_ATTEMPTS):
        with pytest.raises(OSError):
            notifications.deliver_email(email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == notifications.MAX_ATTEMPTS
    assert "Connection refused" in email.last_error or "Errno" in email.last_error


def test_lost_tasks_are_requeued_and_unknown_outcomes_are_not_resent(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lost = _queue(cast.standard_user)
        stuck = _queue(cast.brand_admin)
    old = OutboundEmail.objects.filter(pk__in=[lost.pk, stuck.pk])
    from datetime import timedelta

    from django.utils import timezone

    old.update(created_at=timezone.now() - timedelta(hours=1))
    OutboundEmail.objects.filter(pk=stuck.pk).update(status=OutboundEmail.Status.SENDING)
    assert notifications.requeue_stalled_emails() == 1
    assert [message.to for message in mail.outbox] == [[cast.standard_user.email]]
    stuck.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.FAILED
