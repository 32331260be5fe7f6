"""PREF-6 on every email the hub sends, through `hub.notifications.register_email_decorator`:
a Manage subscriptions link in the footer (emails/base.*), and for emails of a category that can
be turned off, the RFC 8058 one-click unsubscribe headers."""

from ..models import EmailCategory
from . import tokens
from .services import get_or_create_subscriber


def add_subscription_links(*, to_email, user=None, category="", language=""):
    """Context and headers for one email to `to_email`. A `category` names the email's
    subscription category (a marketing email); an unknown key is a programming error."""
    subscriber = get_or_create_subscriber(email=to_email, language=language or "")
    headers = {}
    if category:
        try:
            email_category = EmailCategory.objects.get(key=category)
        except EmailCategory.DoesNotExist as exc:
            raise ValueError(f"Unknown email category {category!r}") from exc
        if not email_category.is_always_on:
            headers["List-Unsubscribe"] = f"<{tokens.unsubscribe_url(subscriber, email_category)}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return {"context": {"manage_subscriptions_url": tokens.manage_url(subscriber)}, "headers": headers}
