"""Phone callbacks (CB-1..4): the request form with its live wait estimate and the English
offer, the confirmation with the place in the queue, cancelling while it waits, and asking for
another call after a missed one."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import get_visible_or_404, require
from hub.responses import render_htmx

from .. import access, availability, callbacks, ratelimit, selectors
from ..availability import Reason
from ..choices import ENGLISH, Channel
from ..forms import LANGUAGE_COUNTRIES, CallbackForm, calling_code
from ..models import Callback
from ..services import cancel_callback, request_callback, request_callback_again
from ..templatetags.support_tags import when_opens
from .common import assistant_conversation, redirect_after_post, refuse_rate_limited
from .entry import _language_name

FORM_TEMPLATE = "support/callback_form.html"
DETAIL_TEMPLATE = "support/callback_detail.html"


def _phone_areas():
    return selectors.active_areas().filter(offers_phone=True)


def _phone_statuses(user, area, languages, now):
    """The phone channel in each language, from one load of the support hours."""
    schedules = selectors.load_schedules(now)
    customer = selectors.customer_rules(user)
    return {
        language: availability.channel_status(
            Channel.PHONE, customer=customer, area=area.as_rules(), language=language, now=now, schedules=schedules,
        )
        for language in languages
    }


def _closed_message(status):
    if status.reason == Reason.OUTSIDE_HOURS and status.opens_at:
        return _("Phone support in %(language)s is closed now; it opens %(when)s. English is available around the clock.") % {
            "language": _language_name(status.language), "when": when_opens(status.opens_at)}
    return _("Phone support is not offered in %(language)s. Please choose English.") % {
        "language": _language_name(status.language)}


def _estimate_context(user, area, language, now):
    """The wait in the chosen language (and English, to compare), and whether to offer English."""
    languages = [language, ENGLISH]
    statuses = _phone_statuses(user, area, languages, now)
    status = statuses[language]
    if status.state == availability.State.UNAVAILABLE and status.reason in (
        Reason.NOT_IN_LICENSE, Reason.NOT_FOR_AREA, Reason.NEEDS_SUCCESS_PACKAGE,
    ):
        raise Http404
    waits = callbacks.wait_estimates(area, languages, now) if status.is_open else {}
    wait = waits.get(language)
    english = waits.get(ENGLISH) if statuses[ENGLISH].is_open else None
    return {
        "estimate_area": area,
        "estimate_language": language,
        "estimate_language_name": _language_name(language),
        "phone_status": status,
        "phone_closed_message": "" if status.is_open else _closed_message(status),
        "wait": wait,
        "english_wait": english,
        "offer_english": wait is not None and callbacks.offers_english(wait, english),
    }


def _pick_area(areas, slug):
    for area in areas:
        if area.slug == slug:
            return area
    return None


def _initial(user, area, language, request):
    country = LANGUAGE_COUNTRIES.get(language) or LANGUAGE_COUNTRIES.get(request.LANGUAGE_CODE, "US")
    return {"product_area": area.slug, "language": language, "country": country, "email": user.email,
            "consents_to_recording": True, "submission_key": uuid.uuid4()}


def callback_create(request, area):
    """CB-1..3: the form. GET with htmx answers one part — the wait estimate for the language and
    area chosen, or the calling code of the country chosen — so both follow the choices live."""
    user = request.user
    require(access.can_request_callback(user))
    areas = list(_phone_areas())
    url_area = _pick_area(areas, area)
    if url_area is None:
        raise Http404
    now = timezone.now()
    conversation = assistant_conversation(request, url_area)
    if request.method != "POST":
        language = selectors.support_language_for(user, request.GET.get("language", ""))
        chosen_area = _pick_area(areas, request.GET.get("product_area", "")) or url_area
        if getattr(request, "htmx", False) and request.GET.get("part") == "calling_code":
            return render_htmx(request, FORM_TEMPLATE, {"calling_code": calling_code(request.GET.get("country", ""))},
                               partial="calling_code")
        estimate = _estimate_context(user, chosen_area, language, now)
        form = CallbackForm(initial=_initial(user, chosen_area, language, request), areas=areas, url=request.path)
        context = {"area": url_area, "form": form, "calling_code": calling_code(form.initial["country"]),
                   "conversation": conversation, **estimate}
        return render_htmx(request, FORM_TEMPLATE, context,
                           partial="estimate" if request.GET.get("part") == "estimate" else "request_form")

    data = request.POST.copy()
    if data.get("language_choice") == ENGLISH:  # the English offer, taken without JavaScript
        data["language"] = ENGLISH
    form = CallbackForm(data, areas=areas, url=request.path)
    valid = form.is_valid()
    chosen_area = form.cleaned_data.get("product_area") or url_area if valid else (
        _pick_area(areas, data.get("product_area", "")) or url_area)
    language = form.cleaned_data["language"] if valid else selectors.support_language_for(user, data.get("language", ""))
    estimate = _estimate_context(user, chosen_area, language, now)
    context = {"area": url_area, "form": form, "calling_code": calling_code(data.get("country", "")),
               "conversation": conversation, **estimate}
    if valid:
        existing = Callback.objects.visible_to(user).filter(submission_key=form.cleaned_data["submission_key"]).first()
        if existing is not None:
            return redirect_after_post(request, "support:callback_detail", existing.public_id)
        if not estimate["phone_status"].is_open:
            form.add_error("language", estimate["phone_closed_message"])
    if not form.is_valid():
        return render_htmx(request, FORM_TEMPLATE, context, partial="request_form", status=422)
    wait = ratelimit.consume(request, "create_ticket")
    if wait:
        return refuse_rate_limited(request, form, FORM_TEMPLATE, context, wait, partial="request_form")
    cleaned = form.cleaned_data
    callback, _created = request_callback(
        requester=user, product_area=cleaned["product_area"], language=cleaned["language"],
        country=cleaned["country"], phone=cleaned["phone"], extension=cleaned["extension"], email=cleaned["email"],
        subject=cleaned["subject"], can_access_account=cleaned["can_access_account"],
        consents_to_recording=cleaned["consents_to_recording"], submission_key=cleaned["submission_key"],
        conversation=conversation,
    )
    return redirect_after_post(request, "support:callback_detail", callback.public_id)


def _callback_or_404(user, public_id):
    require(access.can_get_support(user))
    return get_visible_or_404(Callback.objects.select_related("ticket", "product_area"), user, public_id=public_id)


def callback_detail(request, public_id):
    """CB-4: the confirmation — the number we call, the place in the queue and the wait, live."""
    user = request.user
    callback = _callback_or_404(user, public_id)
    position = callbacks.queue_position(callback)
    wait = callbacks.callback_wait(callback, position) if position else None
    return render_htmx(request, DETAIL_TEMPLATE, {
        "callback": callback,
        "ticket": callback.ticket,
        "position": position,
        "wait": wait,
        "language_name": _language_name(callback.language),
    }, partial="queue_status")




@require_POST
def callback_cancel(request, public_id):
    """The requester withdraws a call request still in the queue; its request is solved."""
    callback = _callback_or_404(request.user, public_id)
    try:
        cancel_callback(actor=request.user, callback=callback)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(
            "Your call request is cancelled and request %(reference)s is marked solved. "
            "If you still need help, reply to it."
        ) % {"reference": callback.ticket.reference})
    return redirect_after_post(request, "support:callback_detail", callback.public_id)


@require_POST
def callback_again(request, public_id):
    """Support called and nobody answered: back in the queue, if phone support in the callback's
    language is open now (as for a new request)."""
    user = request.user
    callback = _callback_or_404(user, public_id)
    estimate = _estimate_context(user, callback.product_area, callback.language, timezone.now())
    if not estimate["phone_status"].is_open:
        messages.error(request, estimate["phone_closed_message"])
        return redirect_after_post(request, "support:callback_detail", callback.public_id)
    try:
        request_callback_again(actor=user, callback=callback, estimate=estimate["wait"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are back in the queue. We will call you again."))
    return redirect_after_post(request, "support:callback_detail", callback.public_id)
