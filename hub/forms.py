from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class HubFormRenderer(TemplatesSetting):
    """Every form renders through templates/forms/: an error summary that links to the fields,
    and fields whose errors and help are announced (Django sets aria-describedby/aria-invalid)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
