"""The support assistant (AST-1, AST-3; SUP-4): after choosing a product area the customer asks;
each answer offers "Did this answer your question?"; No leads to another question or to the
contact methods open now, carrying the conversation into the ticket. Works as plain form posts;
htmx swaps the chat in place."""

from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from hub.access import get_visible_or_404, require
from hub.responses import render_htmx

from .. import access, ratelimit, selectors
from ..forms import AssistantFeedbackForm, AssistantQuestionForm
from ..knowledge.selectors import reading_language
from ..models import AssistantConversation
from ..services.assistant import ask_assistant, record_answer_feedback
from .common import rate_limited_message
from .entry import _channel_rows

TEMPLATE = "support/assistant.html"


def _conversation(user, public_id):
    return get_visible_or_404(AssistantConversation.objects.select_related("product_area"), user, public_id=public_id)


def _chat_context(request, area, conversation=None, form=None):
    turns = list(conversation.turns.all()) if conversation else []
    return {
        "area": area,
        "conversation": conversation,
        "turns": turns,
        "last_turn": turns[-1] if turns else None,
        "form": form or AssistantQuestionForm(),
        "ask_url": reverse("support:assistant_conversation", args=[conversation.public_id])
        if conversation else reverse("support:assistant", args=[area.slug]),
        "can_contact_support": access.can_contact_support_directly(request.user),
    }


def _ask(request, area, conversation):
    form = AssistantQuestionForm(request.POST)
    if form.is_valid():
        wait = ratelimit.consume(request, "assistant_question")
        if wait:
            form.add_error("question", rate_limited_message(wait))
    if not form.is_valid():
        context = _chat_context(request, area, conversation, form)
        return render_htmx(request, TEMPLATE, context, partial="chat", status=422)
    turn = ask_assistant(actor=request.user, area=area, question=form.cleaned_data["question"],
                         language=reading_language(), conversation=conversation)
    conversation = turn.conversation
    url = reverse("support:assistant_conversation", args=[conversation.public_id])
    if getattr(request, "htmx", False):
        response = render_htmx(request, TEMPLATE, _chat_context(request, area, conversation), partial="chat")
        response["HX-Push-Url"] = url
        return response
    return redirect(f"{url}#answer-{turn.public_id}")


def assistant(request, area):
    """The assistant for a product area: an empty chat; a question starts a conversation."""
    require(access.can_get_support(request.user))
    area = get_object_or_404(selectors.active_areas(), slug=area)
    if request.method == "POST":
        return _ask(request, area, None)
    return render_htmx(request, TEMPLATE, _chat_context(request, area), partial="chat")


def assistant_conversation(request, public_id):
    """One of the customer's own conversations; a question continues it."""
    require(access.can_get_support(request.user))
    conversation = _conversation(request.user, public_id)
    area = conversation.product_area
    if request.method == "POST":
        return _ask(request, area, conversation)
    return render_htmx(request, TEMPLATE, _chat_context(request, area, conversation), partial="chat")


def assistant_feedback(request, public_id, turn):
    """"Did this answer your question?" for one answer."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(access.can_get_support(request.user))
    conversation = _conversation(request.user, public_id)
    answered = get_object_or_404(conversation.turns, public_id=turn)
    form = AssistantFeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["answered"][0], status=422, content_type="text/plain; charset=utf-8")
    record_answer_feedback(actor=request.user, turn=answered, answered=form.cleaned_data["answered"] == "yes")
    conversation.refresh_from_db(fields=["outcome"])
    if getattr(request, "htmx", False):
        return render_htmx(request, TEMPLATE, _chat_context(request, conversation.product_area, conversation),
                           partial="chat")
    url = reverse("support:assistant_conversation", args=[conversation.public_id])
    return redirect(f"{url}#answer-{answered.public_id}")


def _with_conversation(url, conversation):
    if not url:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'conversation': conversation.public_id})}"


def assistant_contact(request, public_id):
    """Contact support after the assistant: the methods open now for this area, each carrying
    the conversation into the request that follows."""
    user = request.user
    require(access.can_get_support(user))
    conversation = _conversation(user, public_id)
    area = conversation.product_area
    language = selectors.support_language_for(user, request.GET.get("language", ""))
    rows = _channel_rows(selectors.channel_statuses(user, area, language), area, user.organization.license_type)
    for row in rows:
        row["action_url"] = _with_conversation(row["action_url"], conversation)
        row["english_url"] = _with_conversation(row["english_url"], conversation)
    open_rows = [row for row in rows
                 if row["status"].is_open or (row["english"] is not None and row["english"].is_open)]
    return render(request, "support/assistant_contact.html", {
        "area": area, "conversation": conversation, "channels": open_rows,
        "can_contact_support": access.can_contact_support_directly(user),
    })
