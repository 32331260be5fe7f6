"""The ticket queues (ADM-2): filters, search by reference/subject/requester, "assign to me",
status actions and replies that go through the services (so the customer is emailed), the
timeline inline, and the change history (django-simple-history)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ..access import staff_queues
from ..forms import AttachmentsField
from ..models import Ticket, TicketAttachment, TicketEvent, number_from_reference
from ..services import (
    assign_ticket,
    change_ticket_status,
    escalate_to_enterprise,
    reply_as_agent,
    update_ticket_triage,
)
from ..services.staff import AGENT_STATUSES


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class EnterpriseHandoverFilter(admin.SimpleListFilter):
    """ENT-2: designated users' requests that wait for the Enterprise window."""

    title = _("Enterprise hand-over")
    parameter_name = "handover"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting for Enterprise hours")), ("done", _("Handed over"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(enterprise_handover__handed_over_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(enterprise_handover__handed_over_at__isnull=False)
        return queryset


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ["created_at", "kind", "via", "author", "body", "status_change", "is_internal"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]
    verbose_name_plural = _("timeline")

    @admin.display(description=_("status"))
    def status_change(self, event):
        if not event.to_status:
            return ""
        if not event.from_status:
            return event.get_to_status_display()
        return f"{event.get_from_status_display()} → {event.get_to_status_display()}"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class TicketAttachmentInline(admin.TabularInline):
    model = TicketAttachment
    fields = ["download", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse("support:attachment_download", args=[attachment.public_id, attachment.name])
        return format_html('<a href="{}">{}</a>', url, attachment.name)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class TicketTriageForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ["priority", "queue", "product_area", "assignee"]


class AgentReplyForm(forms.Form):
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))
    status = forms.ChoiceField(
        label=_("Then set the status to"),
        choices=[(status.value, status.label) for status in AGENT_STATUSES],
        initial=Ticket.Status.AWAITING_CUSTOMER,
    )
    is_internal = forms.BooleanField(
        label=_("Internal note (staff only; not emailed, status unchanged)"), required=False
    )
    attachments = AttachmentsField()


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    form = TicketTriageForm
    change_form_template = "admin/support/ticket/change_form.html"
    list_display = ["reference", "subject", "requester", "organization", "queue", "status", "channel",
                    "product_area", "language", "is_enterprise", "priority", "assignee", "last_activity_at"]
    list_display_links = ["reference", "subject"]
    list_filter = ["queue", "status", "channel", "product_area", "language", "is_enterprise", EnterpriseHandoverFilter,
                   "priority", AssigneeFilter, "category"]
    search_fields = ["subject", "requester__email", "requester__first_name", "requester__last_name",
                     "requester__username", "organization__name", "organization__public_id"]
    search_help_text = _("Reference (CS-001234), subject, requester or organization")
    list_select_related = ["requester", "organization", "product_area", "assignee"]
    list_per_page = 50
    date_hierarchy = "created_at"
    ordering = ["-last_activity_at"]
    readonly_fields = ["reference", "organization", "requester", "channel", "language", "subject", "description",
                       "status", "category", "source", "contract_number", "is_enterprise", "created_at",
                       "last_activity_at", "solved_at", "closed_at", "rating_display", "verification_display"]
    fieldsets = [
        (None, {"fields": ["reference", "subject", "status", "organization", "requester", "description"]}),
        (_("Triage"), {"fields": ["queue", "priority", "product_area", "assignee"]}),
        (_("Request"), {"fields": ["channel", "language", "category", "source", "contract_number",
                                   "is_enterprise", "verification_display", "rating_display"]}),
        (_("Dates"), {"fields": ["created_at", "last_activity_at", "solved_at", "closed_at"]}),
    ]
    autocomplete_fields = ["assignee"]
    inlines = [TicketEventInline, TicketAttachmentInline]
    actions = ["assign_to_me", "mark_open", "mark_awaiting_customer", "mark_solved", "mark_closed",
               "escalate_to_enterprise"]

    @admin.display(description=_("reference"), ordering="number")
    def reference(self, ticket):
        return ticket.reference

    @admin.display(description=_("satisfaction"))
    def rating_display(self, ticket):
        rating = getattr(ticket, "rating", None)
        if rating is None:
            return "—"
        extra = f" — {rating.get_reason_display()}" if rating.reason else ""
        return f"{rating.get_score_display()}{extra}{': ' + rating.comment if rating.comment else ''}"

    @admin.display(description=_("Enterprise verification"))
    def verification_display(self, ticket):
        """ENT-3: whether the customer verified, and whether support may access their account."""
        verification = ticket.enterprise_verifications.order_by("-escalated_at", "-pk").first()
        if verification is None:
            return "—"
        if verification.is_pending:
            return _("Waiting for the customer to verify (escalated %(when)s)") % {
                "when": date_format(localtime(verification.escalated_at), "DATETIME_FORMAT")}
        access_text = _("support may access the account") if verification.allows_account_access \
            else _("support may not access the account")
        return _("Verified %(when)s; %(access)s") % {
            "when": date_format(localtime(verification.verified_at), "DATETIME_FORMAT"), "access": access_text}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(queue__in=staff_queues(request.user))

    def get_search_results(self, request, queryset, search_term):
        number = number_from_reference(search_term)
        if number is not None:
            return queryset.filter(Q(number=number)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # tickets come from customers

    def has_delete_permission(self, request, obj=None):
        return False  # kept for the record (PRO-6 anonymizes the requester instead)

    def has_reply_permission(self, request, obj=None):
        return request.user.has_perm("support.reply_ticket")

    def save_model(self, request, obj, form, change):
        """Triage goes through the services, which record it on the timeline."""
        original = Ticket.objects.get(pk=obj.pk)
        try:
            if {"priority", "queue", "product_area"} & set(form.changed_data):
                update_ticket_triage(actor=request.user, ticket=original, priority=obj.priority, queue=obj.queue,
                                     product_area=obj.product_area)
            if "assignee" in form.changed_data:
                assign_ticket(actor=request.user, ticket=original, assignee=obj.assignee)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))

    def save_related(self, request, form, formsets, change):
        # The inlines are read-only: nothing to save, and nothing for the change message.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- actions ---------------------------------------------------------------------------
    def _each(self, request, queryset, action, done_message):
        done = 0
        for ticket in queryset.select_related("requester"):
            try:
                if action(ticket) is not None:
                    done += 1
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, f"{ticket.reference}: {'; '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, done_message(done))

    @admin.action(description=_("Assign to me"), permissions=["reply"])
    def assign_to_me(self, request, queryset):
        self._each(request, queryset, lambda t: assign_ticket(actor=request.user, ticket=t, assignee=request.user),
                   lambda n: ngettext("%(count)d ticket assigned to you.", "%(count)d tickets assigned to you.", n)
                   % {"count": n})

    def _status_action(self, request, queryset, status):
        self._each(request, queryset, lambda t: change_ticket_status(actor=request.user, ticket=t, status=status),
                   lambda n: ngettext("%(count)d ticket updated; the customer was emailed.",
                                      "%(count)d tickets updated; the customers were emailed.", n) % {"count": n})

    @admin.action(description=_("Set status: Open"), permissions=["reply"])
    def mark_open(self, request, queryset):
        self._status_action(request, queryset, Ticket.Status.OPEN)

    @admin.action(description=_("Set status: Awaiting customer's reply"), permissions=["reply"])
    def mark_awaiting_customer(self, request, queryset):
        self._status_action(request, queryset, Ticket.Status.AWAITING_CUSTOMER)

    @admin.action(description=_("Set status: Solved"), permissions=["reply"])
    def mark_solved(self, request, queryset):
        self._status_action(request, queryset, Ticket.Status.SOLVED)

    @admin.action(description=_("Set status: Closed"), permissions=["reply"])
    def mark_closed(self, request, queryset):
        self._status_action(request, queryset, Ticket.Status.CLOSED)

    @admin.action(description=_("Escalate to Enterprise Support (the customer verifies first)"), permissions=["reply"])
    def escalate_to_enterprise(self, request, queryset):
        """ENT-3: the ticket moves to Enterprise Support and waits for the customer's verification."""
        self._each(request, queryset, lambda t: escalate_to_enterprise(actor=request.user, ticket=t),
                   lambda n: ngettext("%(count)d ticket escalated; the customer was asked to verify.",
                                      "%(count)d tickets escalated; the customers were asked to verify.", n)
                   % {"count": n})

    # --- reply from the admin ------------------------------------------------------------------
    def get_urls(self):
        reply = self.admin_site.admin_view(self.reply_view)
        return [path("<int:object_id>/reply/", reply, name="support_ticket_reply"), *super().get_urls()]

    def reply_view(self, request, object_id):
        ticket = get_object_or_404(self.get_queryset(request).select_related("requester"), pk=object_id)
        if not self.has_reply_permission(request, ticket):
            raise PermissionDenied
        form = AgentReplyForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                reply_as_agent(actor=request.user, ticket=ticket, body=data["message"], status=data["status"],
                               is_internal=data["is_internal"], attachments=data["attachments"])
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Note saved.") if data["is_internal"]
                                 else _("Reply sent to %(email)s.") % {"email": ticket.requester.email})
                return redirect("admin:support_ticket_change", ticket.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reply to %(reference)s") % {"reference": ticket.reference},
            "ticket": ticket,
            "form": form,
            "events": ticket.events.select_related("author").order_by("-created_at", "-pk")[:10],
        }
        return TemplateResponse(request, "admin/support/ticket/reply.html", context)
