"""What staff keep up to date (ADM-2, SUP-3, SUP-5): product areas, support hours and holidays,
agents; and what they read: satisfaction scores and inbound emails."""

from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.models import time_zone_choices

from .. import availability
from ..choices import support_languages
from ..models import (
    AgentShift,
    AgentTimeOff,
    InboundEmail,
    ProductArea,
    SupportAgent,
    SupportHoliday,
    SupportSchedule,
    SupportWindow,
    TicketRating,
)
from ..models.areas import PICTURE_DIR
from ..scheduling import calls_during_time_off


def picture_choices():
    folder = Path(settings.BASE_DIR) / "static" / PICTURE_DIR
    return [(f"{PICTURE_DIR}{p.name}", p.stem.replace("-", " ")) for p in sorted(folder.glob("*.svg"))]


class LanguagesField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("base_field", None)
        kwargs.pop("max_length", None)
        super().__init__(choices=support_languages, widget=forms.CheckboxSelectMultiple, **kwargs)


class ProductAreaForm(forms.ModelForm):
    picture = forms.ChoiceField(label=_("picture"), choices=picture_choices)
    chat_languages = LanguagesField(label=_("chat languages"), required=False)

    class Meta:
        model = ProductArea
        fields = ["name", "slug", "description", "picture", "position", "is_active", "queue", "team_note",
                  "offers_chat", "chat_languages", "offers_email", "offers_phone", "offers_scheduled_calls",
                  "enterprise_phone"]


@admin.register(ProductArea)
class ProductAreaAdmin(admin.ModelAdmin):
    form = ProductAreaForm
    list_display = ["name", "slug", "queue", "offers_chat", "offers_email", "offers_phone",
                    "offers_scheduled_calls", "chat_languages", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["queue", "is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "picture", "position", "is_active"]}),
        (_("Routing"), {"fields": ["queue", "team_note"]}),
        (_("Channels"), {"fields": ["offers_chat", "chat_languages", "offers_email", "offers_phone",
                                    "offers_scheduled_calls", "enterprise_phone"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # tickets refer to areas; switch one off with "active" instead


class SupportWindowInline(admin.TabularInline):
    model = SupportWindow
    extra = 0


class SupportScheduleForm(forms.ModelForm):
    languages = LanguagesField(label=_("languages"))
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices,
                                  help_text=SupportSchedule._meta.get_field("time_zone").help_text)

    class Meta:
        model = SupportSchedule
        fields = ["name", "channel", "languages", "time_zone", "is_always_open", "is_enterprise", "is_active"]


@admin.register(SupportSchedule)
class SupportScheduleAdmin(admin.ModelAdmin):
    form = SupportScheduleForm
    list_display = ["name", "channel", "language_labels", "time_zone", "is_always_open", "is_enterprise",
                    "is_active", "open_now"]
    list_filter = ["channel", "is_enterprise", "is_active"]
    search_fields = ["name"]
    inlines = [SupportWindowInline]

    def get_queryset(self, request):
        today = timezone.now().date()
        return super().get_queryset(request).prefetch_related("windows", upcoming_holidays(today))

    @admin.display(description=_("languages"))
    def language_labels(self, schedule):
        return schedule.language_labels()

    @admin.display(description=_("open now"), boolean=True)
    def open_now(self, schedule):
        """The engine's answer for this schedule alone, so staff can check an edit at once."""
        rules = schedule.as_rules(schedule.windows.all(), [h.date for h in schedule.upcoming_holidays])
        return availability.opening([rules], timezone.now()).is_open


def upcoming_holidays(today):
    return Prefetch(
        "holidays",
        queryset=SupportHoliday.objects.filter(date__gte=today - timedelta(days=2),
                                               date__lte=today + availability.HORIZON),
        to_attr="upcoming_holidays",
    )


@admin.register(SupportHoliday)
class SupportHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
    filter_horizontal = ["schedules"]


class SupportAgentForm(forms.ModelForm):
    languages = LanguagesField(label=_("languages"))

    class Meta:
        model = SupportAgent
        fields = ["user", "languages", "product_areas", "is_online_for_chat"]


class AgentShiftInline(admin.TabularInline):
    model = AgentShift
    extra = 0
    fields = ["weekday", "starts", "ends", "time_zone"]


class AgentTimeOffInline(admin.TabularInline):
    model = AgentTimeOff
    extra = 0
    fields = ["first_day", "last_day", "reason"]

    def get_queryset(self, request):
        # Past time off is history: the form shows what is current and ahead.
        return super().get_queryset(request).filter(last_day__gte=timezone.localdate() - timedelta(days=30))


@admin.register(SupportAgent)
class SupportAgentAdmin(admin.ModelAdmin):
    form = SupportAgentForm
    inlines = [AgentShiftInline, AgentTimeOffInline]
    list_display = ["user", "languages", "is_online_for_chat", "online_changed_at"]
    list_filter = ["is_online_for_chat"]
    filter_horizontal = ["product_areas"]
    autocomplete_fields = ["user"]
    readonly_fields = ["online_changed_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        clashes = calls_during_time_off(form.instance)
        if clashes:
            references = ", ".join(call.ticket.reference for call in clashes)
            self.message_user(request, ngettext(
                "%(count)d booked call falls on this agent's time off (%(references)s). Cancel it under "
                "Scheduled calls — the customer is emailed and can book another time — or change the time off.",
                "%(count)d booked calls fall on this agent's time off (%(references)s). Cancel them under "
                "Scheduled calls — the customers are emailed and can book another time — or change the time off.",
                len(clashes),
            ) % {"count": len(clashes), "references": references}, messages.WARNING)


@admin.register(TicketRating)
class TicketRatingAdmin(admin.ModelAdmin):
    """CSAT scores, with the share of good ratings for the current filter."""

    list_display = ["ticket", "score", "reason", "comment", "created_at"]
    list_filter = ["score", "reason", "ticket__queue", "ticket__product_area", "ticket__language"]
    search_fields = ["ticket__subject", "comment"]
    list_select_related = ["ticket"]
    date_hierarchy = "created_at"
    readonly_fields = ["ticket", "score", "reason", "comment", "rated_by", "created_at"]
    change_list_template = "admin/support/ticketrating/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = changelist.queryset.aggregate(
                total=Count("pk"), good=Count("pk", filter=Q(score=TicketRating.Score.GOOD))
            )
            response.context_data["csat"] = {
                **totals, "percent": round(100 * totals["good"] / totals["total"]) if totals["total"] else None,
            }
        return response


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "ticket", "status", "reason", "source"]
    list_filter = ["status", "source"]
    search_fields = ["sender", "subject", "message_id"]
    list_select_related = ["ticket"]
    readonly_fields = [field.name for field in InboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
