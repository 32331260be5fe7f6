"""Email preferences (PREF-1..8): the profile section, and the subscription pages reached from a
link in any email, without signing in (PREF-6)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hub.access import require
from hub.responses import render_htmx

from ..access import can_manage_email_preferences, sees_brand_admin_email_categories
from ..models import ConsentEvent
from ..preferences import tokens
from ..preferences.forms import EmailPreferencesForm
from ..preferences.selectors import address_is_brand_admin, category_choices, localized_categories
from ..preferences.services import PreferenceChangeRefused, update_email_preferences

SAVED = _("Your email preferences are saved. It can take up to 24 hours for a change to reach every mailing list.")
UNCHANGED = _("Nothing to save: your email preferences are as they were.")


def _other_notifications():
    """PREF-8: where the notifications the hub does not manage are managed."""
    return [
        (_("System status notifications"), settings.HUB_STATUS_SUBSCRIBE_URL),
        (_("In-product notifications"), settings.HUB_PRODUCT_NOTIFICATIONS_URL),
        (settings.HUB_COMMUNITY_NAME, settings.HUB_COMMUNITY_NOTIFICATIONS_URL),
        (settings.HUB_ACADEMY_NAME, settings.HUB_ACADEMY_NOTIFICATIONS_URL),
    ]


def _edit(request, *, actor, email, include_brand_admin, source, template, context, success_url):
    """The page and its Save, shared by the profile section and the subscription page: parse,
    refuse what may not be chosen, call the service, answer with the partial (htmx) or redirect."""
    choices = category_choices(email=email, include_brand_admin=include_brand_admin)
    status, saved_message = 200, None
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST, choices=choices)
        if form.hidden_categories_posted():
            raise PermissionDenied
        if form.is_valid():
            try:
                events = update_email_preferences(
                    actor=actor, email=email, choices=form.choices_to_save(), source=source
                )
            except PreferenceChangeRefused as exc:
                raise PermissionDenied from exc
            saved_message = SAVED if events else UNCHANGED
            if not request.htmx:
                messages.success(request, saved_message)
                return redirect(success_url)
            choices = category_choices(email=email, include_brand_admin=include_brand_admin)
            form = EmailPreferencesForm(choices=choices)
        else:
            status = 422
    else:
        form = EmailPreferencesForm(choices=choices)
    context = {
        **context,
        "form": form,
        "form_action": request.path,
        "email": email,
        "saved_message": saved_message,
        "has_pending": any(choice.is_pending for choice in choices),
        "other_notifications": _other_notifications(),
    }
    return render_htmx(request, template, context, partial="preferences-form", status=status)


@require_http_methods(["GET", "POST"])
def email_preferences(request):
    """PREF-1..5, PREF-8: the signed-in user's address's preferences. Absent for free accounts
    and FedRAMP users (PREF-4)."""
    user = request.user
    require(can_manage_email_preferences(user))
    return _edit(
        request, actor=user, email=user.email, include_brand_admin=sees_brand_admin_email_categories(user),
        source=ConsentEvent.Source.HUB, template="profiles/preferences_edit.html",
        context={"current_section": "email_preferences"}, success_url=reverse("profiles:email_preferences"),
    )


def _recipients_language(request, subscriber):
    """Subscription pages speak the language of the emails the address receives, unless the
    visitor picked one."""
    if subscriber.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        return subscriber.language
    return request.LANGUAGE_CODE


def _in_language(language, view):
    """Run and render `view()` in `language`, and say so in Content-Language."""
    with translation.override(language):
        request_language = translation.get_language()
        response = view()
    response["Content-Language"] = request_language
    return response


def _invalid_link(request, *, status):
    """The one answer for a forged token, a revoked one and one for an address that is gone."""
    response = render(request, "profiles/preferences_link_invalid.html", {}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def subscription_manage(request, token):
    """PREF-6: the Manage subscriptions page of the address a link names; no sign-in. A GET only
    shows; Save (a POST) changes."""
    subscriber = tokens.read_manage_token(token)
    if subscriber is None:
        return _invalid_link(request, status=404)
    response = _in_language(_recipients_language(request, subscriber), lambda: _edit(
        request, actor=None, email=subscriber.email, include_brand_admin=address_is_brand_admin(subscriber.email),
        source=ConsentEvent.Source.EMAIL_LINK, template="profiles/preferences_manage.html",
        context={"masked_email": mask_email(subscriber.email)}, success_url=request.path,
    ))
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request, token):
    """PREF-6, RFC 8058: the `List-Unsubscribe` target. A GET (a person, or a mail scanner
    following the link) shows a confirmation with a button and changes nothing. A POST (the
    mailbox provider's cookie-less one-click request, or that button) turns off the link's one
    category, answers 200 without a redirect, and is idempotent. CSRF protection is off for this
    endpoint only: the signed token is the authority, and one-click POSTs carry no cookies."""
    found = tokens.read_unsubscribe_token(token)
    if found is None:
        return _invalid_link(request, status=200 if request.method == "POST" else 404)
    subscriber, category = found
    if request.method == "POST":
        update_email_preferences(
            actor=None, email=subscriber.email, choices={category.key: False}, source=ConsentEvent.Source.ONE_CLICK
        )

    def page():
        category_name = (
            localized_categories(include_brand_admin=True).filter(pk=category.pk)
            .values_list("local_name", flat=True).first()
        )
        context = {
            "category_name": category_name or category.name,
            "masked_email": mask_email(subscriber.email),
            "manage_url": reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)]),
            "done": request.method == "POST",
        }
        return render(request, "profiles/preferences_unsubscribe.html", context)

    response = _in_language(_recipients_language(request, subscriber), page)
    response["X-Robots-Tag"] = "noindex"
    return response


def mask_email(email: str) -> str:
    """Enough of an address to recognise it, not enough to harvest it from a forwarded link."""
    local, _at, domain = email.partition("@")
    visible = local[:2] if len(local) > 3 else local[:1]
    return f"{visible}•••@{domain}"
