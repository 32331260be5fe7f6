"""Support's forms. Field rules live here; availability and permissions in services/selectors."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import attachments as attachment_rules
from .choices import AccountServicesCategory, support_languages
from .models import AccountServicesRequest, Ticket, TicketRating


def _clean_text(value, minimum, message):
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(message)
    return value


class AccountServicesRequestForm(forms.ModelForm):
    """SUP-12 (and PRO-4, BILL-5): category, subject and message; the view supplies the requester
    and the source, `submit_account_services_request` makes the ticket. Subclasses may narrow
    `Meta.fields` (billing's Contact us has no category: it is always billing or payment)."""

    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))

    class Meta:
        model = AccountServicesRequest
        fields = ["category", "subject", "message"]
        labels = {"category": _("What is it about?"), "subject": _("Subject")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            # Optional on tickets in general, required for an Account Services request.
            self.fields["category"].required = True
            self.fields["category"].choices = AccountServicesCategory.choices

    def clean_subject(self):
        return _clean_text(self.cleaned_data["subject"], 3, _("Give your request a subject of at least 3 characters."))

    def clean_message(self):
        return _clean_text(self.cleaned_data["message"], 10, _("Describe your request in at least 10 characters."))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, checked together (types by content, sizes, count)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments (optional)"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", attachment_rules.ACCEPT)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return attachment_rules.check_files(files)

    def bound_data(self, data, initial):
        return initial


def attachments_help():
    limits = attachment_rules.limits()
    return _(
        "Up to %(count)d files, %(size)d MB each: PDF, images (PNG, JPEG, GIF), text, CSV, JSON, HAR, ZIP "
        "and Office documents."
    ) % {"count": limits["max_files"], "size": limits["max_bytes"] // (1024 * 1024)}


class EmailRequestForm(forms.Form):
    """SUP-5 email channel: subject, description, support language, optional attachments."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you expected, and the steps to see it. Add links to the surveys or dashboards concerned."),
    )
    language = forms.ChoiceField(label=_("Language for support"), choices=support_languages)
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def clean_subject(self):
        return _clean_text(self.cleaned_data["subject"], 3, _("Give your request a subject of at least 3 characters."))

    def clean_description(self):
        return _clean_text(
            self.cleaned_data["description"], 20, _("Describe the problem in at least 20 characters.")
        )


class ReplyForm(forms.Form):
    message = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("message") or "").strip() and not cleaned.get("attachments") and not self.errors:
            self.add_error("message", _("Write a message or attach a file."))
        return cleaned


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How would you rate the support you received?"), choices=TicketRating.Score.choices,
        widget=forms.RadioSelect,
    )


class RatingReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("What went wrong?"), choices=TicketRating.Reason.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Anything else you want to tell us? (optional)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class SupportLanguageForm(forms.Form):
    """The contact-methods page's language choice (a GET form: it changes nothing)."""

    language = forms.ChoiceField(label=_("Language for support"), choices=support_languages, required=False)


class TicketFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("All statuses")), ("unresolved", _("Not yet solved")), *Ticket.Status.choices]
    SCOPE_CHOICES = [("mine", _("My requests")), ("organization", _("All of my organization's requests"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    scope = forms.ChoiceField(label=_("Show"), choices=SCOPE_CHOICES, required=False)


class HelpSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help center"), max_length=200, required=False)


class ArticleFeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this helpful?"), choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)


class AssistantQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"), max_length=500, min_length=3,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your question."),
                        "min_length": _("Please write a little more so we can find an answer.")},
    )


class AssistantFeedbackForm(forms.Form):
    answered = forms.ChoiceField(
        label=_("Did this answer your question?"), choices=[("yes", _("Yes")), ("no", _("No"))],
    )
