"""Enterprise Support for staff (ENT-1, ENT-2): who is designated, and the hand-overs. Read
only: brand administrators designate in the hub; the beat task hands requests over."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import EnterpriseDesignation, EnterpriseHandover


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnterpriseDesignation)
class EnterpriseDesignationAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "designated_at", "designated_by", "removed_at", "removed_by"]
    list_filter = [("removed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "organization", "designated_by", "removed_by"]
    search_fields = ["user__email", "user__username", "organization__name", "organization__public_id"]
    search_help_text = _("User or organization")


@admin.register(EnterpriseHandover)
class EnterpriseHandoverAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "flagged_at", "handed_over_at"]
    list_filter = [("handed_over_at", admin.EmptyFieldListFilter)]
    list_select_related = ["ticket"]
