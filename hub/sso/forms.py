import re

from allauth.account.forms import LoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import policy

ORGANIZATION_ID = re.compile(r"ORG-[0-9A-Z]{5}")


class SSOStartForm(forms.Form):
    """AUTH-2: "Sign in with SSO" asks only for the organization id."""

    organization_id = forms.CharField(
        label=_("Organization id"),
        max_length=20,
        help_text=_("It looks like ORG-7F3K2. Your brand administrator or IT team can tell you yours."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_organization_id(self):
        value = self.cleaned_data["organization_id"].strip().upper()
        if not ORGANIZATION_ID.fullmatch(value):
            raise ValidationError(_("Enter an organization id like ORG-7F3K2."), code="format")
        return value


class HubLoginForm(LoginForm):
    """allauth's login form, plus the organization's sign-in policy (AUTH-2): a user whose
    organization refuses passwords is told how to sign in instead — only once the password proved
    right, so the message tells nothing to someone guessing (a wrong password gets the same error as
    an unknown account)."""

    def clean(self):
        cleaned_data = super().clean()
        if self.errors or self.user is None:
            return cleaned_data
        refusal = policy.password_login_refusal(self.user)
        if refusal:
            self.user = None
            raise ValidationError(refusal, code="password_sign_in_refused")
        return cleaned_data
