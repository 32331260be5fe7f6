"""Staff configure each organization's sign-in here (AUTH-2): the identity provider (kept as
allauth's SocialApp, edited through this form) and the organization's policy."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import OrganizationSignIn
from .services import ProviderSettings, remove_sign_in_settings, save_sign_in_settings

OIDC = OrganizationSignIn.Protocol.OPENID_CONNECT
SAML = OrganizationSignIn.Protocol.SAML


class OrganizationSignInForm(forms.ModelForm):
    issuer_url = forms.URLField(
        label=_("Issuer or discovery URL"), required=False, assume_scheme="https",
        help_text=_("For example https://login.example.com/oauth2/default or its "
                    "/.well-known/openid-configuration URL."),
    )
    client_id = forms.CharField(label=_("Client id"), required=False, max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"), required=False, max_length=191,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored, never shown again. Leave empty to keep the stored secret."),
    )
    saml_entity_id = forms.CharField(label=_("IdP entity id"), required=False, max_length=500)
    saml_metadata_url = forms.URLField(
        label=_("IdP metadata URL"), required=False, assume_scheme="https",
        help_text=_("Either the metadata URL, or the single sign-on URL and the signing certificate."),
    )
    saml_sso_url = forms.URLField(label=_("IdP single sign-on URL"), required=False, assume_scheme="https")
    saml_x509cert = forms.CharField(
        label=_("IdP signing certificate"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("PEM or base64, without the private key."),
    )

    class Meta:
        model = OrganizationSignIn
        fields = ["organization", "protocol", "is_sso_enabled", "enforce_sso", "allow_login_code",
                  "allow_user_creation", "trust_provider_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app = self.instance.social_app if self.instance.pk else None
        if app is None:
            return
        if app.provider == OIDC:
            self.initial.update(issuer_url=app.settings.get("server_url", ""), client_id=app.client_id)
        elif app.provider == SAML:
            idp = app.settings.get("idp", {})
            self.initial.update(
                saml_entity_id=idp.get("entity_id", ""), saml_metadata_url=idp.get("metadata_url", ""),
                saml_sso_url=idp.get("sso_url", ""), saml_x509cert=idp.get("x509cert", ""),
            )

    def clean(self):
        data = super().clean()
        protocol = data.get("protocol")
        has_secret = bool(self.instance.social_app_id and self.instance.social_app.secret)
        required = []
        if protocol == OIDC:
            required = ["issuer_url", "client_id"] + ([] if has_secret else ["client_secret"])
        elif protocol == SAML:
            required = ["saml_entity_id"] + ([] if data.get("saml_metadata_url") else ["saml_sso_url", "saml_x509cert"])
        for name in required:
            if not data.get(name):
                self.add_error(name, _("Required for this protocol."))
        if data.get("is_sso_enabled") and not protocol:
            self.add_error("protocol", _("Choose the identity provider’s protocol to switch single sign-on on."))
        if data.get("enforce_sso") and not (data.get("is_sso_enabled") or data.get("allow_login_code")):
            self.add_error(
                "enforce_sso",
                _("Refusing passwords needs another way in: switch single sign-on or the emailed code on."),
            )
        return data

    def provider_settings(self):
        data = self.cleaned_data
        if not data.get("protocol"):
            return None
        return ProviderSettings(
            protocol=data["protocol"],
            issuer_url=(data.get("issuer_url") or "").rstrip("/"),
            client_id=(data.get("client_id") or "").strip(),
            client_secret=(data.get("client_secret") or "").strip(),
            saml_entity_id=(data.get("saml_entity_id") or "").strip(),
            saml_metadata_url=data.get("saml_metadata_url") or "",
            saml_sso_url=data.get("saml_sso_url") or "",
            saml_x509cert=(data.get("saml_x509cert") or "").strip(),
        )


@admin.register(OrganizationSignIn)
class OrganizationSignInAdmin(SimpleHistoryAdmin):
    form = OrganizationSignInForm
    list_display = ["organization", "protocol", "is_sso_enabled", "enforce_sso", "allow_login_code",
                    "allow_user_creation", "updated_at"]
    list_filter = ["protocol", "is_sso_enabled", "enforce_sso", "allow_login_code", "organization__is_fedramp"]
    search_fields = ["organization__name", "organization__public_id"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["provider_id", "urls_to_register", "updated_at"]
    fieldsets = [
        (None, {"fields": ["organization"]}),
        (_("Identity provider"), {"fields": ["protocol", "is_sso_enabled", "provider_id", "urls_to_register"]}),
        (_("OpenID Connect"), {"fields": ["issuer_url", "client_id", "client_secret"]}),
        (_("SAML 2.0"), {"fields": ["saml_entity_id", "saml_metadata_url", "saml_sso_url", "saml_x509cert"]}),
        (_("Policy"), {"fields": ["enforce_sso", "allow_login_code", "allow_user_creation", "trust_provider_email"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["organization"] if obj is not None else fields

    @admin.display(description=_("URLs to register at the identity provider"))
    def urls_to_register(self, obj):
        base = settings.HUB_PUBLIC_URL
        pid = obj.provider_id
        rows = [
            (_("OpenID Connect redirect URI"), base + reverse("openid_connect_callback", args=[pid])),
            (_("SAML assertion consumer service (ACS) URL"), base + reverse("saml_acs", args=[pid])),
            (_("SAML service provider entity id (metadata)"), base + reverse("saml_metadata", args=[pid])),
        ]
        return format_html_join("", "<div><strong>{}</strong><br><code>{}</code></div>", rows)

    def save_model(self, request, obj, form, change):
        save_sign_in_settings(actor=request.user, sign_in=obj, provider=form.provider_settings())

    def delete_model(self, request, obj):
        remove_sign_in_settings(actor=request.user, sign_in=obj)

    def delete_queryset(self, request, queryset):
        for sign_in in queryset.select_related("social_app"):
            remove_sign_in_settings(actor=request.user, sign_in=sign_in)
