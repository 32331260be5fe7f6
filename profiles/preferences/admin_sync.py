"""Staff admin for the mailing-system sync (PREF-7, OPS-1): the outbox with each change's state
(pending, sent, superseded, failed with the error), the runs, and "Sync now"."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..models import MailingSyncRun, MailingSyncState, PreferenceChange
from .adapter import get_mailing_system
from .selectors import normalize_email, pending_change_count
from .services import retry_failed_changes
from .sync import request_mailing_sync


@admin.register(PreferenceChange)
class PreferenceChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "email", "category", "is_subscribed", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "is_subscribed"]
    list_select_related = ["preference__subscriber", "preference__category"]
    search_fields = ["preference__subscriber__email"]
    readonly_fields = ["idempotency_key", "preference", "is_subscribed", "changed_at", "status", "attempts",
                       "last_error", "last_attempt_at", "sent_at", "created_at"]
    show_full_result_count = False
    actions = ["retry"]

    @admin.display(description=_("email address"), ordering="preference__subscriber__email")
    def email(self, obj):
        return obj.preference.subscriber.email

    @admin.display(description=_("email category"))
    def category(self, obj):
        return obj.preference.category.key

    def get_search_results(self, request, queryset, search_term):
        term = normalize_email(search_term)
        return (queryset.filter(preference__subscriber__email__startswith=term), False) if term else (queryset, False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("sync-now/", self.admin_site.admin_view(self.sync_now_view), name="profiles_preferencechange_sync_now"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        adapter = get_mailing_system()
        extra_context = {
            **(extra_context or {}),
            "pending_count": pending_change_count(),
            "mailing_system_configured": adapter.is_configured,
            "mailing_system_name": adapter.name if adapter.is_configured else "",
            "last_run": MailingSyncRun.objects.exclude(kind=MailingSyncRun.Kind.OPT_OUTS).first(),
            "can_sync": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description=_("Send the selected failed changes again"), permissions=["change"])
    def retry(self, request, queryset):
        queued = retry_failed_changes(actor=request.user, change_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext(
            "%(count)d change queued again.", "%(count)d changes queued again.", queued
        ) % {"count": queued}, messages.SUCCESS)

    def sync_now_view(self, request):
        return require_POST(self._sync_now)(request)

    def _sync_now(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        request_mailing_sync(actor=request.user)
        self.message_user(request, _("The sync with the mailing system has started; its run appears under "
                                     "Mailing system sync runs."), messages.SUCCESS)
        return redirect(reverse("admin:profiles_preferencechange_changelist"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailingSyncRun)
class MailingSyncRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "status", "pushed", "rejected", "pulled", "applied", "pending_after",
                    "finished_at"]
    list_filter = ["kind", "status"]
    date_hierarchy = "started_at"
    show_full_result_count = False


@admin.register(MailingSyncState)
class MailingSyncStateAdmin(ReadOnlyAdmin):
    list_display = ["name", "pull_cursor", "pulled_at"]
