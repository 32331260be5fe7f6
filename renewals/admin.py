"""Staff: the renewals pipeline (filters by status and window, days to renewal), the history of
every renewal, and Mark invoiced (REN-7) through the service."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import Renewal
from .services import mark_renewal_invoiced


class WindowFilter(admin.SimpleListFilter):
    title = _("renewal date")
    parameter_name = "window"

    def lookups(self, request, model_admin):
        return [("30", _("Within 30 days")), ("120", _("Within 120 days")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() in ("30", "120"):
            return queryset.filter(cycle__gte=today, cycle__lte=today + timedelta(days=int(self.value())))
        if self.value() == "past":
            return queryset.filter(cycle__lt=today)
        return queryset


@admin.register(Renewal)
class RenewalAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "organization", "cycle", "days_to_renewal", "status", "intent", "submitted_at",
                    "invoice_send_date"]
    list_filter = ["status", "intent", WindowFilter]
    search_fields = ["contract__contract_number", "contract__organization__name", "po_number"]
    list_select_related = ["contract__organization"]
    ordering = ["cycle"]
    actions = ["mark_invoiced"]
    readonly_fields = ["contract", "cycle", "status", "completed_steps", "submitted_at", "submitted_by",
                       "invoice_email", "invoice_send_date", "invoiced_at", "frozen_contacts", "updated_at",
                       "updated_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organization"), ordering="contract__organization__name")
    def organization(self, renewal):
        return renewal.contract.organization

    @admin.display(description=_("days to renewal"), ordering="cycle")
    def days_to_renewal(self, renewal):
        return renewal.days_to_renewal(timezone.localdate())

    @admin.action(description=_("Mark invoiced"), permissions=["change"])
    def mark_invoiced(self, request, queryset):
        done = 0
        for renewal in queryset:
            try:
                mark_renewal_invoiced(actor=request.user, renewal=renewal)
            except (ValueError, PermissionDenied):
                messages.warning(request, _("%(renewal)s is not submitted for renewal; left as it is.")
                                 % {"renewal": renewal})
                continue
            done += 1
        if done:
            messages.success(request, ngettext("%(count)d renewal marked invoiced.",
                                               "%(count)d renewals marked invoiced.", done) % {"count": done})
