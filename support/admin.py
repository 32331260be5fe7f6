from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccountServicesRequest


@admin.register(AccountServicesRequest)
class AccountServicesRequestAdmin(SimpleHistoryAdmin):
    list_display = ["created_at", "subject", "category", "source", "organization", "requester", "status"]
    list_filter = ["status", "category", "source"]
    search_fields = ["subject", "message", "organization__name", "organization__public_id", "requester__email"]
    list_select_related = ["organization", "requester"]
    readonly_fields = ["public_id", "organization", "requester", "source", "created_at", "updated_at"]
    list_editable = ["status"]
