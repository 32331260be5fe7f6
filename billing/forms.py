import unicodedata

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from support.forms import AccountServicesRequestForm

from .selectors import contracts_visible_to


def validate_contact_name(value):
    """Names are free text — a team mailbox such as "Accounts Payable" is a fine name (BILL-7) —
    but they go into email headers and greetings, so no control characters or angle brackets."""
    if any(unicodedata.category(char).startswith("C") for char in value) or any(c in value for c in "<>"):
        raise forms.ValidationError(
            _("Use letters, spaces and ordinary punctuation only."), code="invalid_name"
        )


class ContractContactForm(forms.Form):
    """BILL-7: first name, last name and a valid email, all required. `version` is the contact's
    version when the form was loaded (optimistic locking)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_contact_name],
        error_messages={"required": _("Enter a first name.")},
        # Autofocus: the form replaces the card in place (htmx focuses it), or is its own page.
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_contact_name],
        error_messages={"required": _("Enter a last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254,
        error_messages={
            "required": _("Enter an email address."),
            "invalid": _("Enter a valid email address, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].help_text = _(
            "A shared mailbox works too: for example “Accounts” and “Payable”."
        )

    @classmethod
    def for_contact(cls, contact, data=None):
        initial = {"version": 0}
        if contact is not None:
            initial = {
                "first_name": contact.first_name, "last_name": contact.last_name,
                "email": contact.email, "version": contact.version,
            }
        return cls(data=data, initial=initial)


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return _("%(number)s, ends %(date)s") % {
            "number": contract.contract_number, "date": formats.date_format(contract.end_date),
        }


class BillingQuestionForm(AccountServicesRequestForm):
    """BILL-5: a question about a quote or invoice for Account Services. The contract list comes
    from the user's visible contracts only."""

    contract = ContractChoiceField(
        label=_("Contract"), queryset=None, to_field_name="contract_number", required=False,
        empty_label=_("Not about a specific contract"),
    )

    class Meta(AccountServicesRequestForm.Meta):
        fields = ["subject", "message"]

    field_order = ["contract", "subject", "message"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts_visible_to(user)
