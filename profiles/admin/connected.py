"""CON-4, ADM-4: staff read (and Customer success correct) the synced Community and Academy data,
with the history of every change; the sync runs show what each night did."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from profiles.models import Certification, CommunityProfile, ConnectedAccountsSync


class SyncedDataAdmin(SimpleHistoryAdmin):
    """Rows come from the sync: staff don't add them, and a correction lasts until the source
    system says otherwise."""

    list_select_related = ["user__organization"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["user"]
    readonly_fields = ["user", "changed_at"]
    search_fields = ["user__email", "user__username", "user__last_name", "user__organization__name",
                     "user__organization__public_id"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("organization"), ordering="user__organization__name")
    def organization(self, obj):
        return obj.user.organization


@admin.register(CommunityProfile)
class CommunityProfileAdmin(SyncedDataAdmin):
    list_display = ["username", "user", "organization", "rank", "member_since", "topics_count", "changed_at"]
    search_fields = [*SyncedDataAdmin.search_fields, "username"]


@admin.register(Certification)
class CertificationAdmin(SyncedDataAdmin):
    list_display = ["name", "user", "organization", "status", "completed_on", "changed_at"]
    list_filter = ["status"]
    search_fields = [*SyncedDataAdmin.search_fields, "name", "external_id"]


@admin.register(ConnectedAccountsSync)
class ConnectedAccountsSyncAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "is_running", "users_checked", "records_changed", "errors"]
    list_filter = ["is_running"]
    readonly_fields = [field.name for field in ConnectedAccountsSync._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
