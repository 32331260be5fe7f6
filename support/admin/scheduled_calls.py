"""Scheduled calls for staff (SCH-1): the upcoming calls first, with who, when, which agent and the
ticket; filters by time, status, agent, area and language. Bookings change only through the
customer's flow or the "Cancel" action here, which emails the cancellation like the customer's."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import ScheduledCall
from ..services import cancel_scheduled_call


class WhenFilter(admin.SimpleListFilter):
    """Upcoming calls unless staff choose otherwise: that is what they open the list for."""

    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("past", _("Past")), ("all", _("All times"))]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "display": _("Upcoming"),
               "query_string": changelist.get_query_string(remove=[self.parameter_name])}
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "all":
            return queryset
        if self.value() == "today":
            start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            return queryset.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        if self.value() == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset.upcoming(now)


@admin.register(ScheduledCall)
class ScheduledCallAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "status", "requester", "organization", "product_area", "language",
                    "agent", "ticket_link"]
    list_filter = [WhenFilter, "status", "agent", "product_area", "language"]
    list_select_related = ["requester", "organization", "product_area", "agent__user", "ticket"]
    search_fields = ["requester__username", "requester__email", "organization__name", "ticket__subject"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    actions = ["cancel_calls"]
    fields = ["ticket_link", "status", "starts_at", "ends_at", "requester", "organization", "product_area",
              "language", "agent", "sequence", "created_at", "updated_at", "cancelled_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:support_ticket_change", args=[obj.ticket_id]),
                           obj.ticket.reference)

    @admin.action(description=_("Cancel the selected calls (the customers are emailed)"),
                  permissions=["change"])
    def cancel_calls(self, request, queryset):
        cancelled = 0
        for call in queryset.filter(status=ScheduledCall.Status.BOOKED):
            try:
                cancel_scheduled_call(actor=request.user, call=call)
            except (PermissionDenied, ValidationError):
                continue
            cancelled += 1
        self.message_user(request, ngettext("%(count)d call cancelled.", "%(count)d calls cancelled.", cancelled)
                          % {"count": cancelled}, messages.SUCCESS)
