"""Support's forms. Field rules live here; availability and permissions in services/selectors."""

import functools
import uuid

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.phonenumber import PhoneNumber

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


class EnterpriseDesignationForm(forms.Form):
    """ENT-1: one of the organization's users who holds no seat yet (the view passes them)."""

    user = forms.ModelChoiceField(
        label=_("User to designate"), queryset=None, empty_label=_("Choose a user"),
        error_messages={"invalid_choice": _("Choose one of your organization's users who is not designated yet.")},
    )

    def __init__(self, *args, candidates, show_emails=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda user: _user_label(user, show_emails)


def _user_label(user, show_email):
    name = user.get_full_name() or user.username
    return f"{name} ({user.email})" if user.email and show_email else name


class EnterpriseVerificationForm(forms.Form):
    """ENT-3: the customer says whether support may access their account while working on it."""

    allows_account_access = forms.TypedChoiceField(
        label=_("May support access your account while working on this request?"),
        choices=[("yes", _("Yes, support may access my account")), ("no", _("No, support may not access my account"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether support may access your account.")},
    )
class ChatMessageForm(forms.Form):
    """SUP-7: one chat message (the first one starts the chat)."""

    message = forms.CharField(label=_("Your message"), max_length=2000, error_messages={"required": _("Write a message.")},
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_message(self):
        return _clean_text(self.cleaned_data["message"], 1, _("Write a message."))


class ChatStartForm(ChatMessageForm):
    """The first message; with open requests in the area, the chat may continue one of them."""

    ticket = forms.ChoiceField(label=_("Is this about one of your open requests?"), required=False)
    language = forms.ChoiceField(choices=support_languages, widget=forms.HiddenInput)

    field_order = ["ticket", "message", "language"]

    def __init__(self, *args, open_tickets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = _("How can we help?")
        self.fields["message"].widget.attrs["rows"] = 4
        self.open_tickets = {ticket.reference: ticket for ticket in open_tickets}
        if self.open_tickets:
            self.fields["ticket"].choices = [("", _("No, a new question"))] + [
                (reference, f"{reference} · {ticket.subject}") for reference, ticket in self.open_tickets.items()
            ]
        else:
            del self.fields["ticket"]

    def clean_ticket(self):
        return self.open_tickets.get(self.cleaned_data.get("ticket") or "")
# Where a support language is most often spoken: the country a callback form starts with.
LANGUAGE_COUNTRIES = {"en": "US", "de": "DE", "es": "ES", "fr": "FR", "it": "IT", "ja": "JP", "nl": "NL",
                      "pt-br": "BR"}


def calling_code(country: str) -> str:
    """"+49" for DE; "" for an unknown country."""
    code = phonenumbers.country_code_for_region(country or "")
    return f"+{code}" if code else ""


def country_choices():
    """Every country with its calling code, in the reader's language: "Germany (+49)"."""
    return _country_choices(translation.get_language() or "")


@functools.lru_cache(maxsize=16)
def _country_choices(language):
    # Built once per language: ~250 names sorted in that language, each with its calling code.
    return [(code, f"{name} ({calling_code(code)})") for code, name in countries if calling_code(code)]


class CallbackForm(forms.Form):
    """CB-1: the callback request. The number is checked for the chosen country (with or
    without its calling code); the subject becomes the ticket's description."""

    product_area = forms.ChoiceField(label=_("Product area"))
    language = forms.ChoiceField(label=_("Language for support"), choices=support_languages)
    country = forms.ChoiceField(label=_("Country"))
    phone = forms.CharField(
        label=_("Phone number"), max_length=40, help_text=_("With or without the calling code."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}),
    )
    extension = forms.CharField(
        label=_("Extension (optional)"), max_length=10, required=False,
        validators=[RegexValidator(r"^\d{1,10}$", _("Enter digits only, up to 10."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email"), help_text=_("We send the confirmation here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    subject = forms.CharField(
        label=_("What do you need help with?"), max_length=150,
        help_text=_("A short subject, for example “Quota counts do not update”. It becomes your request's description."),
    )
    can_access_account = forms.BooleanField(
        label=_("Support may access my account during the call to investigate"), required=False,
    )
    consents_to_recording = forms.BooleanField(
        label=_("I agree that the call may be recorded for quality and training"), required=False, initial=True,
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas, url="", **kwargs):
        super().__init__(*args, **kwargs)
        # The areas the view loaded once (they offer phone); cleaned to the area itself.
        self.areas = {area.slug: area for area in areas}
        self.fields["product_area"].choices = [(area.slug, area.display_name) for area in areas]
        self.fields["country"].choices = country_choices()
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        self.fields["subject"].widget.attrs["autocomplete"] = "off"
        if url:
            # htmx: the wait follows the language and area; the calling code follows the country.
            for name in ("product_area", "language"):
                self.fields[name].widget.attrs.update({
                    "hx-get": url, "hx-trigger": "change", "hx-target": "#callback-estimate", "hx-swap": "innerHTML",
                    "hx-include": "#id_product_area, #id_language", "hx-vals": '{"part": "estimate"}',
                    "hx-sync": "#callback-estimate:replace",
                })
            self.fields["country"].widget.attrs.update({
                "hx-get": url, "hx-trigger": "change", "hx-target": "#calling-code", "hx-swap": "outerHTML",
                "hx-vals": '{"part": "calling_code"}',
            })

    def clean_subject(self):
        return _clean_text(self.cleaned_data["subject"], 3, _("Give your request a subject of at least 3 characters."))

    def clean_product_area(self):
        return self.areas[self.cleaned_data["product_area"]]

    def clean_submission_key(self):
        """The page's one-time key; a missing or mangled one (nothing the user can fix) gets a new one."""
        try:
            return uuid.UUID(self.cleaned_data["submission_key"])
        except (TypeError, ValueError):
            return uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        country, raw = cleaned.get("country"), cleaned.get("phone")
        if not country or not raw:
            return cleaned
        number = PhoneNumber.from_string(raw, region=country) if _parses(raw, country) else None
        if number is None or not number.is_valid():
            self.add_error("phone", _("Enter a valid phone number for %(country)s, for example %(example)s.")
                           % {"country": dict(countries)[country], "example": _example(country)})
        elif number.country_code != phonenumbers.country_code_for_region(country):
            self.add_error("phone", _("This number does not belong to %(country)s (%(code)s). Choose its country, "
                                      "or enter the number without the calling code.")
                           % {"country": dict(countries)[country], "code": calling_code(country)})
        else:
            cleaned["phone"] = number
        return cleaned


def _parses(raw, country):
    try:
        phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return False
    return True


def _example(country):
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.FIXED_LINE)
    if example is None:
        return calling_code(country)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


class CallTimeForm(forms.Form):
    """SCH-1: a time among the free slots of the chosen date (the view supplies them)."""

    date = forms.DateField(widget=forms.HiddenInput, required=False)
    slot = forms.ChoiceField(
        label=_("Time"), widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a time for the call."),
            "invalid_choice": _("This time is no longer available. Please choose another time."),
        },
    )

    def __init__(self, *args, slot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = list(slot_choices)


class ScheduledCallForm(CallTimeForm):
    """SCH-1 booking: the time, what the call is about (the ticket's subject and description),
    and a token so that submitting the form twice books one call."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What would you like to discuss?"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("So that your support engineer can prepare: what you want to achieve, and links to the surveys or dashboards concerned."),
    )
    request_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_subject(self):
        return _clean_text(self.cleaned_data["subject"], 3, _("Give your request a subject of at least 3 characters."))

    def clean_description(self):
        return _clean_text(
            self.cleaned_data["description"], 20, _("Describe what you would like to discuss in at least 20 characters.")
        )


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
