"""Contracts for Account Services and Customer Success (ADM-3): licenses and contacts inline,
filters for the 150/120-day windows and this cycle's confirmation, history of every change to
contracts and contacts (ADM-4). The billing-contacts feature flag lives on organizations."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .access import CONFIRMATION_WINDOW_DAYS
from .models import ContactConfirmation, Contract, ContractContact, ContractLicense, ContractReminder

RENEWAL_WINDOW_DAYS = 120


class WindowFilter(admin.SimpleListFilter):
    """Contracts inside the 150-day (contact confirmation) or 120-day (renewal) window, counted
    in each organization's time zone like the banners and reminders."""

    title = _("renewal window")
    parameter_name = "window"

    def lookups(self, request, model_admin):
        return [
            (str(CONFIRMATION_WINDOW_DAYS), _("In the 150-day window")),
            (str(RENEWAL_WINDOW_DAYS), _("In the 120-day window")),
        ]

    def queryset(self, request, queryset):
        if self.value() in {str(CONFIRMATION_WINDOW_DAYS), str(RENEWAL_WINDOW_DAYS)}:
            return queryset.in_window(int(self.value()))
        return queryset


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("contacts confirmed this cycle")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_confirmed_this_cycle=True)
        if self.value() == "no":
            return queryset.filter(is_confirmed_this_cycle=False)
        return queryset


class ContractLicenseInline(admin.TabularInline):
    model = ContractLicense
    extra = 0
    min_num = 1


class ContractContactInline(admin.TabularInline):
    model = ContractContact
    fields = ["role", "first_name", "last_name", "email", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    extra = 0
    max_num = len(ContractContact.Role)
    can_delete = True
    show_change_link = True


class ContactConfirmationInline(admin.TabularInline):
    model = ContactConfirmation
    fields = ["cycle", "method", "confirmed_by", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _stamp_contact(contact: ContractContact, user):
    """Staff edits are shown to customers as made by the vendor's team (BILL-8) and, like
    customer edits, move the version on so an open customer form cannot overwrite them."""
    contact.updated_at = timezone.now()
    contact.updated_by = user
    if contact.pk:
        contact.version += 1


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["contract_number", "organization", "start_date", "end_date", "days_left",
                    "term", "confirmed_this_cycle"]
    list_filter = [WindowFilter, ConfirmedFilter, "organization__billing_contacts_enabled",
                   "organization__license_type"]
    search_fields = ["contract_number", "organization__name", "organization__public_id", "contacts__email",
                     "contacts__last_name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "end_date"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContractLicenseInline, ContractContactInline, ContactConfirmationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_confirmation_state()

    @admin.display(description=_("days left"))
    def days_left(self, contract):
        return contract.days_until_end()

    @admin.display(description=_("term (months)"))
    def term(self, contract):
        return contract.term_months

    @admin.display(description=_("confirmed this cycle"), boolean=True, ordering="is_confirmed_this_cycle")
    def confirmed_this_cycle(self, contract):
        return contract.is_confirmed_this_cycle

    def save_formset(self, request, form, formset, change):
        if formset.model is not ContractContact:
            return super().save_formset(request, form, formset, change)
        if not request.user.has_perm("billing.change_contractcontact"):
            raise PermissionDenied
        contacts = formset.save(commit=False)
        for contact in formset.deleted_objects:
            contact.delete()
        for contact in contacts:
            _stamp_contact(contact, request.user)
            contact.save()
        formset.save_m2m()


@admin.register(ContractContact)
class ContractContactAdmin(SimpleHistoryAdmin):
    """Every contact, searchable by email, with its full history (who, when, what)."""

    list_display = ["email", "first_name", "last_name", "role", "contract", "organization", "updated_at",
                    "updated_by"]
    list_filter = ["role", "contract__organization__billing_contacts_enabled"]
    search_fields = ["email", "first_name", "last_name", "contract__contract_number", "contract__organization__name"]
    list_select_related = ["contract__organization", "updated_by"]
    autocomplete_fields = ["contract"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    history_list_display = ["first_name", "last_name", "email"]

    @admin.display(description=_("organization"), ordering="contract__organization__name")
    def organization(self, contact):
        return contact.contract.organization

    def save_model(self, request, obj, form, change):
        if form.has_changed():
            _stamp_contact(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(ContractReminder)
class ContractReminderAdmin(admin.ModelAdmin):
    """REN-8: every reminder the daily job sent, with its email (OPS-1)."""

    list_display = ["created_at", "kind", "contract", "cycle", "recipient_email", "email"]
    list_filter = ["kind"]
    search_fields = ["recipient_email", "contract__contract_number"]
    list_select_related = ["contract", "email"]
    date_hierarchy = "created_at"
    readonly_fields = ["contract", "kind", "cycle", "recipient_email", "recipient_user", "email", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContactConfirmation)
class ContactConfirmationAdmin(admin.ModelAdmin):
    list_display = ["confirmed_at", "contract", "cycle", "method", "confirmed_by"]
    list_filter = ["method"]
    search_fields = ["contract__contract_number", "confirmed_by__email"]
    list_select_related = ["contract", "confirmed_by"]
    readonly_fields = ["contract", "cycle", "method", "confirmed_by", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
