"""Email: every message the hub sends is queued here, rendered in the recipient's language and
time zone, stored as an `OutboundEmail` row (staff read them in the admin) and delivered by a
Celery task after the transaction commits.

Other apps add to every email through decorators: a decorator returns extra template context and
headers for one recipient (the email-preferences app adds the Manage subscriptions link and the
RFC 8058 one-click headers this way).
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
EmailDecorator = Callable[..., dict]
_decorators: list[EmailDecorator] = []


def register_email_decorator(decorator: EmailDecorator):
    """`decorator(*, to_email, user, category, language)` → {"context": {...}, "headers": {...}}."""
    if decorator not in _decorators:
        _decorators.append(decorator)
    return decorator


def language_for(user=None):
    if user is not None and getattr(user, "language", ""):
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _render(template, context):
    subject = render_to_string(f"emails/{template}.subject.txt", context)
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return " ".join(subject.split()), text.strip() + "\n", html


def queue_email(
    *,
    to_email: str,
    template: str,
    context: dict | None = None,
    user=None,
    organization=None,
    language: str | None = None,
    category: str = "",
    reply_to: str = "",
    idempotency_key: str | None = None,
    attachments: list[dict] | tuple = (),
) -> OutboundEmail:
    """Queue one email. With an `idempotency_key`, queuing it again returns the first row and
    sends nothing more. Delivery starts when the surrounding transaction commits."""
    if idempotency_key:
        existing = OutboundEmail.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    language = language or language_for(user)
    time_zone = user.effective_time_zone if user is not None and user.is_authenticated else settings.TIME_ZONE
    extra_headers = {}
    full_context = {
        "vendor_name": settings.HUB_VENDOR_NAME,
        "hub_url": settings.HUB_PUBLIC_URL,
        "recipient": user,
        "to_email": to_email,
        **(context or {}),
    }
    for decorate in _decorators:
        addition = decorate(to_email=to_email, user=user, category=category, language=language) or {}
        full_context.update(addition.get("context", {}))
        extra_headers.update(addition.get("headers", {}))
    with translation.override(language), timezone.override(time_zone):
        subject, body_text, body_html = _render(template, full_context)
    fields = {
        "template": template,
        "to_email": to_email,
        "to_user": user if user is not None and user.pk else None,
        "organization": organization or (getattr(user, "organization", None) if user is not None else None),
        "language": language,
        "category": category,
        "subject": subject[:300],
        "body_text": body_text,
        "body_html": body_html,
        "reply_to": reply_to,
        "headers": extra_headers,
        "attachments": list(attachments),
    }
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(idempotency_key=idempotency_key, **fields)
    except IntegrityError:
        if not idempotency_key:
            raise
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    from .tasks import deliver_email

    deliver_email.delay_on_commit(email.pk)
    return email


def deliver_email(email_id: int) -> bool:
    """Send one queued email at most once. The row is claimed by a conditional update, so two
    workers (or a redelivered task) never both send it. Returns True when this call sent it."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"X-Hub-Email-Id": str(email.public_id), **email.headers},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    try:
        message.send()
    except Exception as exc:
        final = email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED if final else OutboundEmail.Status.PENDING,
            last_error=repr(exc)[:2000],
        )
        logger.warning("email delivery failed", extra={"email_id": email.pk, "attempt": email.attempts})
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def requeue_stalled_emails(*, older_than=timedelta(minutes=2), batch_size=500) -> int:
    """Re-enqueue emails whose task was lost (a broker restart, a deploy). A row still `sending`
    long after its claim may or may not have left: it is marked failed for staff to decide,
    never resent automatically."""
    from .tasks import deliver_email

    now = timezone.now()
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, created_at__lt=now - timedelta(minutes=30)
    ).update(
        status=OutboundEmail.Status.FAILED,
        last_error="Delivery outcome unknown (the worker stopped while sending); not resent automatically.",
    )
    requeued = 0
    last_id = 0
    while True:
        ids = list(
            OutboundEmail.objects.filter(
                status=OutboundEmail.Status.PENDING, created_at__lt=now - older_than, pk__gt=last_id
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return requeued
        for email_id in ids:
            deliver_email.delay(email_id)
        requeued += len(ids)
        last_id = ids[-1]


def resend_email(*, email: OutboundEmail) -> None:
    """Staff action: send a failed email again."""
    from .tasks import deliver_email

    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(
            status=OutboundEmail.Status.PENDING, last_error=""
        )
        deliver_email.delay_on_commit(email.pk)
