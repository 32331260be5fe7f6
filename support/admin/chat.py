"""The chat console (SUP-7, ADM-2): agents go online for chat, see the chats waiting and in
progress in the queues they work, answer one (claim), reply, leave or close it. The chat window
polls for new messages the same way the customer's does (htmx, a since-id cursor)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hub.responses import render_htmx

from .. import selectors
from ..access import staff_queues
from ..forms import ChatMessageForm
from ..models import Chat, SupportAgent
from ..services import claim_chat, leave_chat, post_chat_message, set_chat_online

CONSOLE_TEMPLATE = "admin/support/chat/console.html"
ROOM_TEMPLATE = "admin/support/chat/room.html"


def _errors(error):
    return "; ".join(getattr(error, "messages", [str(error)]))


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin):
    """Every chat, for the record; the console is where they are answered."""

    change_list_template = "admin/support/chat/change_list.html"
    list_display = ["reference", "customer", "organization", "product_area", "language", "status", "agent",
                    "started_at", "ended_at", "end_reason", "room_link"]
    list_filter = ["status", "language", "product_area", "end_reason"]
    search_fields = ["customer__email", "customer__first_name", "customer__last_name", "organization__name"]
    list_select_related = ["ticket", "customer", "organization", "product_area", "agent"]
    date_hierarchy = "started_at"
    readonly_fields = ["ticket", "organization", "customer", "product_area", "language", "status", "agent",
                       "started_at", "claimed_at", "ended_at", "end_reason"]
    fields = readonly_fields

    @admin.display(description=_("reference"), ordering="ticket__number")
    def reference(self, chat):
        return chat.ticket.reference

    @admin.display(description=_("chat window"))
    def room_link(self, chat):
        return format_html('<a href="{}">{}</a>', reverse("admin:support_chat_room", args=[chat.public_id]),
                           _("Open %(reference)s") % {"reference": chat.ticket.reference})

    def get_queryset(self, request):
        return super().get_queryset(request).filter(ticket__queue__in=staff_queues(request.user))

    def has_add_permission(self, request):
        return False  # chats come from customers

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # kept with the ticket

    # --- the console ------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("console/", view(self.console_view), name="support_chat_console"),
            path("console/online/", view(self.online_view), name="support_chat_online"),
            path("<uuid:public_id>/room/", view(self.room_view), name="support_chat_room"),
            path("<uuid:public_id>/room/messages/", view(self.messages_view), name="support_chat_messages"),
            path("<uuid:public_id>/room/send/", view(self.send_view), name="support_chat_send"),
            path("<uuid:public_id>/claim/", view(self.claim_view), name="support_chat_claim"),
            path("<uuid:public_id>/leave/", view(self.leave_view), name="support_chat_leave"),
            *super().get_urls(),
        ]

    def _require_agent(self, request):
        if not request.user.has_perm("support.reply_ticket") or not staff_queues(request.user):
            raise PermissionDenied

    def _chat(self, request, public_id):
        self._require_agent(request)
        rows = self.get_queryset(request).select_related("ticket", "customer", "organization", "product_area",
                                                         "agent")
        return get_object_or_404(rows, public_id=public_id)

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def console_view(self, request):
        self._require_agent(request)
        agent = SupportAgent.objects.filter(user=request.user).first()
        chats = list(selectors.chats_for_console(request.user))
        return render_htmx(request, CONSOLE_TEMPLATE, self._context(
            request, title=_("Chat console"), agent=agent, chats=chats,
            waiting=[chat for chat in chats if chat.is_waiting],
            active=[chat for chat in chats if not chat.is_waiting],
        ), partial="queue")

    def online_view(self, request):
        if request.method != "POST":
            return redirect("admin:support_chat_console")
        self._require_agent(request)
        online = request.POST.get("online") == "1"
        try:
            set_chat_online(actor=request.user, online=online)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("You are online for chat.") if online else _("You are offline for chat."))
        return redirect("admin:support_chat_console")

    def _room_context(self, request, chat, *, events=None, form=None, **extra):
        events = list(selectors.chat_messages(chat)) if events is None else events
        return self._context(
            request, title=_("Chat %(reference)s") % {"reference": chat.ticket.reference}, chat=chat,
            events=events, cursor=events[-1].pk if events else 0,
            is_mine=chat.agent_id == request.user.pk, form=form or ChatMessageForm(), **extra,
        )

    def room_view(self, request, public_id):
        chat = self._chat(request, public_id)
        return render_htmx(request, ROOM_TEMPLATE, self._room_context(request, chat), partial="room_footer")

    def messages_view(self, request, public_id):
        chat = self._chat(request, public_id)
        if not getattr(request, "htmx", False):
            return redirect("admin:support_chat_room", chat.public_id)
        after = request.GET.get("after", "")
        events = list(selectors.chat_messages(chat, after=int(after) if after.isdigit() else 0))
        if not events:
            response = HttpResponse(status=204)
        else:
            response = render_htmx(request, ROOM_TEMPLATE, self._room_context(request, chat, events=events),
                                   partial="poll")
        response["Cache-Control"] = "no-store"
        return response

    def send_view(self, request, public_id):
        if request.method != "POST":
            return redirect("admin:support_chat_room", public_id)
        chat = self._chat(request, public_id)
        form = ChatMessageForm(request.POST)
        if form.is_valid():
            try:
                post_chat_message(actor=request.user, chat=chat, body=form.cleaned_data["message"])
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _errors(error))
        if form.errors:
            return render_htmx(request, ROOM_TEMPLATE, self._room_context(request, chat, events=[], form=form),
                               partial="message_form", status=422)
        if getattr(request, "htmx", False):
            response = render_htmx(request, ROOM_TEMPLATE, self._room_context(request, chat, events=[], sent=True),
                                   partial="message_form")
            response["HX-Trigger"] = "chat-sent"
            return response
        return redirect(reverse("admin:support_chat_room", args=[chat.public_id]) + "#chat-latest")

    def claim_view(self, request, public_id):
        return self._action(request, public_id, lambda chat: claim_chat(actor=request.user, chat=chat),
                            _("You are now chatting with the customer."))

    def leave_view(self, request, public_id):
        close = request.POST.get("close") == "1"
        return self._action(request, public_id, lambda chat: leave_chat(actor=request.user, chat=chat, close=close),
                            _("You closed the chat; the request is solved and the customer was emailed.") if close
                            else _("You left the chat; the request stays open for a follow-up by email."))

    def _action(self, request, public_id, action, done):
        if request.method != "POST":
            return redirect("admin:support_chat_room", public_id)
        chat = self._chat(request, public_id)
        try:
            action(chat)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, done)
        return redirect("admin:support_chat_room", chat.public_id)
