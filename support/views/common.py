"""Helpers the support views share."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from hub.responses import render_htmx

from ..models import AssistantConversation


def redirect_after_post(request, name, *args, anchor=""):
    """After a successful POST: a redirect, or for htmx a full-page redirect (HX-Redirect)."""
    url = reverse(name, args=args) + (f"#{anchor}" if anchor else "")
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def rate_limited_message(wait_seconds):
    minutes = max(1, round(wait_seconds / 60))
    return ngettext(
        "You have sent several messages in a short time. To protect support from automated traffic, "
        "please wait %(minutes)d minute before sending another.",
        "You have sent several messages in a short time. To protect support from automated traffic, "
        "please wait %(minutes)d minutes before sending another.",
        minutes,
    ) % {"minutes": minutes}


def refuse_rate_limited(request, form, template, context, wait, *, partial):
    """The form again with the limit explained. Without htmx: 429 Too Many Requests; htmx swaps
    only 2xx and 422, so it gets 422 to show the message in place."""
    form.add_error(None, rate_limited_message(wait))
    response = render_htmx(request, template, context, partial=partial,
                           status=422 if getattr(request, "htmx", False) else 429)
    response["Retry-After"] = str(wait)
    return response


def assistant_conversation(request, area):
    """AST-3: the asker's own conversation with the assistant about `area` that led to this request
    (`conversation` in the form or the query string), or None; a foreign or malformed id is ignored
    rather than revealed."""
    public_id = request.POST.get("conversation") or request.GET.get("conversation", "")
    if not public_id:
        return None
    try:
        return AssistantConversation.objects.visible_to(request.user).get(public_id=public_id, product_area=area)
    except (AssistantConversation.DoesNotExist, ValidationError, ValueError):
        return None
