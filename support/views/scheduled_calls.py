"""Scheduled calls (SCH-1): pick a date, then a time from the agents' free slots (in the user's
time zone), say what the call is about → booked, with a ticket and an invite by email. The booker
reschedules or cancels from the call's page (linked from the ticket and from My scheduled calls).

Only the booker sees a booking; anyone else gets 404, like a call that does not exist. Users
without Success packages, and areas without scheduled calls, get 404 for the booking pages."""

import uuid
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import get_visible_or_404, require
from hub.responses import render_htmx

from .. import access, ratelimit, scheduling, selectors, slots
from ..forms import CallTimeForm, ScheduledCallForm, SupportLanguageForm
from ..models import ScheduledCall
from ..services import book_scheduled_call, cancel_scheduled_call, reschedule_scheduled_call
from ..templatetags.support_tags import local_time
from .common import assistant_conversation, redirect_after_post, refuse_rate_limited

CREATE_TEMPLATE = "support/scheduled_call_form.html"
DETAIL_TEMPLATE = "support/scheduled_call_detail.html"


def _zone_name():
    return timezone.get_current_timezone_name()


def _picker(request, *, area, language, ignore=None, base_query=None):
    """The free slots by local date, the chosen date (from the query or the form; else the first
    with slots) and that date's slots as choices."""
    found = scheduling.free_slots(area, language, ignore=ignore)
    days = slots.by_local_date(found, _zone_name())
    chosen = None
    raw = request.POST.get("date") or request.GET.get("date") or ""
    try:
        chosen = date.fromisoformat(raw) if raw else None
    except ValueError:
        chosen = None
    if chosen not in days:
        chosen = next(iter(days), None)
    day_slots = days.get(chosen, [])
    query = dict(base_query or {})
    dates = [
        {"date": day, "count": len(day_slots_of_day), "is_current": day == chosen,
         "url": "?" + urlencode({**query, "date": day.isoformat()})}
        for day, day_slots_of_day in days.items()
    ]
    choices = [
        (slots.slot_key(slot.starts_at), f"{local_time(slot.starts_at)}–{local_time(slot.ends_at)}")
        for slot in day_slots
    ]
    return {"dates": dates, "chosen_date": chosen, "choices": choices,
            "call_minutes": settings.HUB_SCHEDULED_CALL_MINUTES}


def _bookable_area_or_404(user, area_slug, language):
    require(access.can_get_support(user))
    area = get_object_or_404(selectors.active_areas(), slug=area_slug)
    require(scheduling.can_book(user, area, language))
    return area


def scheduled_call_create(request, area):
    """Choose a date, a time and what the call is about; POST books it."""
    user = request.user
    language_form = SupportLanguageForm(request.GET or None)
    requested = language_form.cleaned_data["language"] if language_form.is_valid() else ""
    language = selectors.support_language_for(user, requested)
    area = _bookable_area_or_404(user, area, language)
    picker = _picker(request, area=area, language=language, base_query={"language": language})
    form = ScheduledCallForm(
        request.POST or None, slot_choices=picker["choices"],
        initial={"request_token": uuid.uuid4(), "date": picker["chosen_date"]},
    )
    context = {
        "area": area, "language": language, "language_form": SupportLanguageForm(initial={"language": language}),
        "form": form, "action_url": request.get_full_path(), "duplicates": [], "mode": "book", **picker,
        "conversation": assistant_conversation(request, area),
    }
    htmx = getattr(request, "htmx", False)
    if request.method != "POST":
        # htmx asks for one date's times only: the rest of the form keeps what was typed.
        return render_htmx(request, CREATE_TEMPLATE, context, partial="times" if htmx else "call_form")
    if form.is_valid():
        wait = ratelimit.consume(request, "create_ticket")
        if wait:
            return refuse_rate_limited(request, form, CREATE_TEMPLATE, context, wait, partial="call_form")
        data = form.cleaned_data
        try:
            call = book_scheduled_call(
                actor=user, area=area, language=language, starts_at=slots.parse_slot_key(data["slot"]),
                subject=data["subject"], description=data["description"], request_token=data["request_token"],
                conversation=context["conversation"],
            )
        except ValidationError as error:
            _refresh_after_conflict(request, context, form, error, area=area, language=language)
        else:
            messages.success(request, _("Your call is booked. We emailed you a calendar invite."))
            return redirect_after_post(request, "support:scheduled_call_detail", call.public_id)
    return render_htmx(request, CREATE_TEMPLATE, context, partial="call_form", status=422)


def _refresh_after_conflict(request, context, form, error, *, area, language, ignore=None):
    """Someone took the slot between showing and booking: say so at the field and show the
    times as they are now (the taken one gone), keeping everything else that was typed."""
    picker = _picker(request, area=area, language=language, ignore=ignore,
                     base_query={"language": language} if ignore is None else None)
    context.update(picker)
    form.fields["slot"].choices = picker["choices"]
    form.add_error("slot", error)


def _call_or_404(user, public_id):
    require(access.can_get_support(user))
    rows = ScheduledCall.objects.select_related("ticket", "product_area", "agent__user")
    return get_visible_or_404(rows, user, public_id=public_id)


def scheduled_call_detail(request, public_id):
    """The confirmation screen, and later the call's page: when (in the user's zone), about what,
    with whom; reschedule and cancel while it has not started."""
    call = _call_or_404(request.user, public_id)
    return render_htmx(request, DETAIL_TEMPLATE, {
        "call": call, "ticket": call.ticket, "is_changeable": call.is_changeable(),
        "minutes": call.minutes,
    }, partial="call")


def scheduled_call_list(request):
    """My scheduled calls: upcoming first, then past and cancelled ones."""
    user = request.user
    require(access.can_get_support(user))
    now = timezone.now()
    calls = list(scheduling.my_scheduled_calls(user)[:200])
    upcoming = [call for call in calls if call.is_booked and call.ends_at > now]
    earlier = sorted((call for call in calls if call not in upcoming), key=lambda call: call.starts_at, reverse=True)
    return render_htmx(request, "support/scheduled_call_list.html", {
        "upcoming": upcoming, "earlier": earlier[:50], "can_schedule_calls": access.can_schedule_calls(user),
    }, partial="calls")


def scheduled_call_reschedule(request, public_id):
    """Pick another date and time for the call; POST moves it (the old time is free again)."""
    user = request.user
    call = _call_or_404(user, public_id)
    if not call.is_changeable():
        messages.error(request, _("This call has already started or was cancelled, so it can no longer be changed."))
        return redirect_after_post(request, "support:scheduled_call_detail", call.public_id)
    require(scheduling.can_book(user, call.product_area, call.language))
    picker = _picker(request, area=call.product_area, language=call.language, ignore=call)
    form = CallTimeForm(request.POST or None, slot_choices=picker["choices"], initial={"date": picker["chosen_date"]})
    context = {
        "area": call.product_area, "language": call.language, "call": call, "form": form,
        "action_url": reverse("support:scheduled_call_reschedule", args=[call.public_id]), "mode": "reschedule",
        **picker,
    }
    htmx = getattr(request, "htmx", False)
    if request.method != "POST":
        return render_htmx(request, CREATE_TEMPLATE, context, partial="times" if htmx else "call_form")
    if form.is_valid():
        try:
            call = reschedule_scheduled_call(actor=user, call=call, starts_at=slots.parse_slot_key(form.cleaned_data["slot"]))
        except ValidationError as error:
            _refresh_after_conflict(request, context, form, error, area=call.product_area, language=call.language,
                                    ignore=call)
        else:
            messages.success(request, _("Your call is moved. We emailed you the updated calendar invite."))
            return redirect_after_post(request, "support:scheduled_call_detail", call.public_id)
    return render_htmx(request, CREATE_TEMPLATE, context, partial="call_form", status=422)


@require_POST
def scheduled_call_cancel(request, public_id):
    call = _call_or_404(request.user, public_id)
    try:
        cancel_scheduled_call(actor=request.user, call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your call is cancelled. We emailed you the cancellation for your calendar."))
    return redirect_after_post(request, "support:scheduled_call_detail", call.public_id)
