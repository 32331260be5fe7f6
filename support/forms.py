from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccountServicesRequest


class AccountServicesRequestForm(forms.ModelForm):
    """Category, subject and message; the view supplies the requester and the source."""

    class Meta:
        model = AccountServicesRequest
        fields = ["category", "subject", "message"]
        labels = {"category": _("What is it about?"), "subject": _("Subject"), "message": _("Message")}
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if len(subject) < 3:
            raise forms.ValidationError(_("Give your request a subject of at least 3 characters."))
        return subject

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Describe your request in at least 10 characters."))
        return message
