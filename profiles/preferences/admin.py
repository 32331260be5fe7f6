"""Staff admin for email preferences (PREF-2, ADM-4): categories and their translations, addresses
with their choices (changed through the service, so the ledger and the outbox follow), and the
consent ledger with its CSV export per address or per organization."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from hub.models import Organization
from hub.notifications import language_for, queue_email

from ..models import ConsentEvent, EmailCategory, EmailCategoryTranslation, EmailPreference, Subscriber
from . import ledger
from .selectors import localized_categories, normalize_email
from .services import PreferenceChangeRefused, revoke_subscription_links, update_email_preferences


class EmailCategoryTranslationInline(admin.TabularInline):
    model = EmailCategoryTranslation
    extra = 0
    fields = ["language", "name", "description"]


@admin.register(EmailCategory)
class EmailCategoryAdmin(SimpleHistoryAdmin):
    """PREF-2: categories are data. The key is fixed once created (it names the list in the
    mailing system); categories are retired with "active", never deleted."""

    list_display = ["name", "key", "audience", "is_always_on", "is_subscribed_by_default", "is_active", "position"]
    list_editable = ["position"]
    list_filter = ["is_active", "audience"]
    inlines = [EmailCategoryTranslationInline]
    actions = ["send_sample"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Email me a sample of the selected categories"), permissions=["view"])
    def send_sample(self, request, queryset):
        """Lets staff check, in a real mailbox, the footer link and the unsubscribe headers."""
        if not request.user.email:
            self.message_user(request, _("Your staff account has no email address."), messages.ERROR)
            return
        language = language_for(request.user)
        categories = localized_categories(include_brand_admin=True, language=language).filter(
            pk__in=queryset.values("pk")
        )
        for category in categories:
            queue_email(
                to_email=request.user.email, template="preferences_sample", user=request.user,
                context={"category_key": category.key, "category_name": category.local_name},
                category=category.key, language=language,
            )
        self.message_user(request, ngettext(
            "%(count)d sample email queued.", "%(count)d sample emails queued.", queryset.count()
        ) % {"count": queryset.count()}, messages.SUCCESS)


class EmailPreferenceInlineForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["category", "is_subscribed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["category"].disabled = True

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category is not None and category.is_always_on and not cleaned.get("is_subscribed"):
            raise ValidationError(_("%(category)s can't be turned off.") % {"category": category.name})
        return cleaned


class EmailPreferenceInline(admin.TabularInline):
    model = EmailPreference
    form = EmailPreferenceInlineForm
    extra = 0
    can_delete = False
    fields = ["category", "is_subscribed", "changed_at", "last_synced_at"]
    readonly_fields = ["changed_at", "last_synced_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """PREF-1: an address and its choices. Staff change choices on a customer's request; the
    change is recorded in the ledger as made by staff and sent to the mailing system."""

    list_display = ["email", "language", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "public_id", "language", "token_version", "created_at", "ledger_link"]
    fields = readonly_fields
    inlines = [EmailPreferenceInline]
    actions = ["revoke_links", "export_ledger"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        term = normalize_email(search_term)
        if not term:
            return queryset, False
        return queryset.filter(email__startswith=term), False

    @admin.display(description=_("consent ledger"))
    def ledger_link(self, obj):
        url = reverse("admin:profiles_consentevent_changelist") + f"?q={obj.email}"
        return format_html('<a href="{}">{}</a>', url, _("Show this address's consent ledger"))

    def save_formset(self, request, form, formset, change):
        """Choices go through the service (ledger, history, outbox), never straight to the table."""
        choices = {
            inline_form.cleaned_data["category"].key: inline_form.cleaned_data["is_subscribed"]
            for inline_form in formset.forms
            if inline_form.has_changed() and inline_form.cleaned_data
        }
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if choices:
            try:
                update_email_preferences(
                    actor=request.user, email=form.instance.email, choices=choices,
                    source=ConsentEvent.Source.STAFF,
                )
            except PreferenceChangeRefused as exc:
                raise PermissionDenied from exc

    @admin.action(description=_("Revoke the subscription links sent to the selected addresses"),
                  permissions=["change"])
    def revoke_links(self, request, queryset):
        count = 0
        for subscriber in queryset:
            revoke_subscription_links(actor=request.user, subscriber=subscriber)
            count += 1
        self.message_user(request, ngettext(
            "Links revoked for %(count)d address; the next email carries a new link.",
            "Links revoked for %(count)d addresses; the next email carries a new link.", count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Export the consent ledger of the selected addresses (CSV)"),
                  permissions=["export_ledger"])
    def export_ledger(self, request, queryset):
        events = ConsentEvent.objects.filter(subscriber__in=queryset).order_by("occurred_at", "pk")
        return ledger.csv_response(events, "consent-ledger.csv")

    def has_export_ledger_permission(self, request):
        return request.user.has_perm("profiles.export_consentevent")


@admin.register(EmailPreference)
class EmailPreferenceAdmin(SimpleHistoryAdmin):
    """ADM-4: each choice with its history (who, when, what). Changes are made on the address."""

    list_display = ["subscriber", "category", "is_subscribed", "changed_at", "last_synced_at"]
    list_filter = ["category", "is_subscribed"]
    list_select_related = ["subscriber", "category"]
    search_fields = ["subscriber__email"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = normalize_email(search_term)
        return (queryset.filter(subscriber__email__startswith=term), False) if term else (queryset, False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerExportForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), required=False)
    organization = forms.CharField(label=_("Organization ID"), required=False, help_text=_("For example ORG-7F3K2."))

    def clean(self):
        cleaned = super().clean()
        email, public_id = cleaned.get("email"), (cleaned.get("organization") or "").strip().upper()
        if bool(email) == bool(public_id):
            raise ValidationError(_("Enter either an email address or an organization ID."))
        if public_id:
            cleaned["organization"] = Organization.objects.filter(public_id=public_id).first()
            if cleaned["organization"] is None:
                self.add_error("organization", _("No organization has this ID."))
        return cleaned


@admin.register(ConsentEvent)
class ConsentEventAdmin(admin.ModelAdmin):
    """The consent ledger: read-only. Search by address or by organization ID; export as CSV."""

    list_display = ["occurred_at", "subscriber", "category", "old_value", "new_value", "source", "actor_label"]
    list_filter = ["source", "category"]
    list_select_related = ["subscriber", "category"]
    search_fields = ["subscriber__email"]
    search_help_text = _("An email address (or its beginning), or an organization ID such as ORG-7F3K2.")
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    actions = ["export_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("profiles.export_consentevent")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.upper().startswith("ORG-"):
            organization = Organization.objects.filter(public_id=term.upper()).first()
            if organization is None:
                return queryset.none(), False
            return queryset.filter(subscriber__email__in=ledger.organization_addresses(organization)), False
        return queryset.filter(subscriber__email__startswith=normalize_email(term)), False

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="profiles_consentevent_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description=_("Export the selected entries (CSV)"), permissions=["export"])
    def export_selected(self, request, queryset):
        return ledger.csv_response(queryset.order_by("occurred_at", "pk"), "consent-ledger.csv")

    def export_view(self, request):
        """The ledger of one address or one organization, as CSV."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = LedgerExportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data.get("email"):
                return ledger.csv_response(ledger.ledger_for_address(form.cleaned_data["email"]),
                                           "consent-ledger-address.csv")
            organization = form.cleaned_data["organization"]
            return ledger.csv_response(ledger.ledger_for_organization(organization),
                                       f"consent-ledger-{organization.public_id}.csv")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export the consent ledger"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/profiles/consentevent/export.html", context)
