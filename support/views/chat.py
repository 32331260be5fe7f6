"""Live chat for customers (SUP-7): start a chat from the contact methods while chat is open,
then a chat window that polls for new messages (htmx, a since-id cursor, 204 when nothing is
new) and works without JavaScript (a plain form post and a refresh link)."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hub.access import get_visible_or_404, require
from hub.responses import render_htmx

from .. import access, ratelimit, selectors
from ..choices import Channel
from ..forms import ChatMessageForm, ChatStartForm
from ..models import Chat
from ..services import end_chat_as_customer, post_chat_message, start_chat
from .common import assistant_conversation, redirect_after_post, refuse_rate_limited
from .entry import _explain

START_TEMPLATE = "support/chat_start.html"
CHAT_TEMPLATE = "support/chat_detail.html"


def chat_start(request, area):
    """The first question starts the chat. Closed (hours, no agent online) → why, and the other
    ways to reach us. A customer with a chat in progress goes back to it."""
    user = request.user
    require(access.can_contact_support_directly(user))
    area = get_object_or_404(selectors.active_areas(), slug=area)
    require(Channel.CHAT in area.channels)
    unfinished = Chat.objects.visible_to(user).unfinished().first()
    if unfinished is not None:
        return redirect("support:chat_detail", unfinished.public_id)
    requested = request.POST.get("language") or request.GET.get("language", "")
    language = selectors.support_language_for(user, requested)
    form = ChatStartForm(request.POST or None, initial={"language": language},
                         open_tickets=selectors.open_tickets_in_area(user, area))
    status = selectors.chat_status(user, area, language)
    context = {
        "area": area, "form": form, "status": status, "language": language,
        "conversation": assistant_conversation(request, area),
        "closed_note": "" if status.is_open else _explain(status, area=area, license_type=user.organization.license_type),
    }
    if request.method != "POST":
        return render_htmx(request, START_TEMPLATE, context, partial="start_form")
    if form.is_valid():
        wait = ratelimit.consume(request, "create_ticket")
        if wait:
            return refuse_rate_limited(request, form, START_TEMPLATE, context, wait, partial="start_form")
        try:
            chat = start_chat(customer=user, area=area, language=form.cleaned_data["language"],
                              message=form.cleaned_data["message"], ticket=form.cleaned_data.get("ticket"),
                              conversation=context["conversation"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect_after_post(request, "support:chat_detail", chat.public_id)
    return render_htmx(request, START_TEMPLATE, context, partial="start_form", status=422)


def _chat_or_404(user, public_id):
    require(access.can_contact_support_directly(user))
    return get_visible_or_404(Chat.objects.select_related("ticket", "product_area", "agent"), user,
                              public_id=public_id)


def _cursor(events, after=0):
    return events[-1].pk if events else after


def chat_detail(request, public_id):
    """The chat window: the conversation so far, the message form, and — once it ended — the
    offer to continue by email or to ask for a call."""
    chat = _chat_or_404(request.user, public_id)
    events = list(selectors.chat_messages(chat))
    return render_htmx(request, CHAT_TEMPLATE, {
        "chat": chat, "events": events, "cursor": _cursor(events), "form": ChatMessageForm(),
    }, partial="chat_footer")


def _after(request):
    value = request.GET.get("after", "")
    return int(value) if value.isdigit() else 0


@require_GET
def chat_messages(request, public_id):
    """The poll: only the messages after the cursor, appended out of band with the new cursor;
    204 (nothing swapped) when there is nothing new. Without htmx: the chat page."""
    chat = _chat_or_404(request.user, public_id)
    if not getattr(request, "htmx", False):
        return redirect("support:chat_detail", chat.public_id)
    after = _after(request)
    events = list(selectors.chat_messages(chat, after=after))
    if not events:
        response = HttpResponse(status=204)
    else:
        response = render_htmx(request, CHAT_TEMPLATE, {"chat": chat, "events": events, "cursor": _cursor(events)},
                               partial="poll")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def chat_send(request, public_id):
    chat = _chat_or_404(request.user, public_id)
    form = ChatMessageForm(request.POST)
    context = {"chat": chat, "form": form}
    if form.is_valid():
        wait = ratelimit.consume(request, "chat_message")
        if wait:
            return refuse_rate_limited(request, form, CHAT_TEMPLATE, context, wait, partial="message_form")
        try:
            post_chat_message(actor=request.user, chat=chat, body=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_htmx(request, CHAT_TEMPLATE, context, partial="message_form", status=422)
    if getattr(request, "htmx", False):
        # A fresh form; the poller hears "chat-sent" and fetches the new message at once.
        response = render_htmx(request, CHAT_TEMPLATE, {"chat": chat, "form": ChatMessageForm(), "sent": True},
                               partial="message_form")
        response["HX-Trigger"] = "chat-sent"
        return response
    return redirect(reverse("support:chat_detail", args=[chat.public_id]) + "#chat-latest")


@require_POST
def chat_end(request, public_id):
    chat = _chat_or_404(request.user, public_id)
    end_chat_as_customer(actor=request.user, chat=chat)
    return redirect_after_post(request, "support:chat_detail", chat.public_id, anchor="chat-footer")
