from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import notifications
from .models import Heartbeat, Organization, OutboundEmail, StaffContact, User


@admin.register(StaffContact)
class StaffContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "email", "phone"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]


class OrganizationUserInline(admin.TabularInline):
    model = User
    fields = ["username", "first_name", "last_name", "email", "user_type", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """ADM-3/ADM-4: account teams, entitlements and the contact shown to standard users, with the
    history of every change (by staff here, or by brand administrators in organization settings)."""

    list_display = ["name", "public_id", "license_type", "data_center", "is_fedramp", "success_packages",
                    "billing_contacts_enabled", "customer_success_manager", "account_executive"]
    list_filter = ["license_type", "data_center", "is_fedramp", "billing_contacts_enabled"]
    search_fields = ["name", "public_id"]
    readonly_fields = ["public_id", "created_at"]
    autocomplete_fields = ["customer_success_manager", "account_executive", "admin_contact"]
    inlines = [OrganizationUserInline]
    fieldsets = [
        (None, {"fields": ["name", "public_id", "data_center", "license_type", "is_fedramp", "time_zone"]}),
        (_("Entitlements and features"), {"fields": ["success_packages", "billing_contacts_enabled"]}),
        (_("Account team"), {"fields": ["customer_success_manager", "account_executive"]}),
        (
            _("Contact shown to standard users"),
            {"fields": ["admin_contact", "admin_contact_name", "admin_contact_email", "admin_contact_phone"]},
        ),
        (None, {"fields": ["created_at"]}),
    ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "organization", "user_type", "is_staff"]
    list_filter = ["user_type", "is_staff", "is_active", "organization__license_type", "organization__is_fedramp"]
    search_fields = ["username", "email", "first_name", "last_name", "organization__name", "organization__public_id"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Customer"), {"fields": ["organization", "user_type", "language", "time_zone", "deleted_at"]}),
    )
    readonly_fields = ["deleted_at"]
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Customer"), {"fields": ["email", "organization", "user_type"]}),
    )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """OPS-1: every email the hub queued, as the recipient received it."""

    list_display = ["created_at", "to_email", "subject", "template", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language", "category"]
    search_fields = ["to_email", "subject", "public_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed emails again"), permissions=["view"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=OutboundEmail.Status.FAILED))
        for email in failed:
            notifications.resend_email(email=email)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", len(failed))
            % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "seen_at"]
    readonly_fields = ["name", "seen_at"]

    def has_add_permission(self, request):
        return False


from .sso import admin as sso_admin  # noqa: E402, F401  (AUTH-2: organization sign-in settings)
