"""One form per wizard step (REN-2). Forms own the field rules; every message is translated and
shown at its field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from billing.forms import validate_contact_name

from .models import ADDRESS_KINDS, Renewal


class IntentForm(forms.Form):
    intent = forms.ChoiceField(
        label=_("Do you plan to renew this contract?"),
        choices=[(Renewal.Intent.RENEW, _("Yes, we will renew")), (Renewal.Intent.NOT_RENEWING, _("No, we will not renew"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will renew.")},
    )
    reason = forms.CharField(
        label=_("Why are you not renewing?"), required=False, max_length=2000,
        help_text=_("Required if you will not renew. Your account team reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("intent") == Renewal.Intent.NOT_RENEWING and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell us why you are not renewing."))
        return cleaned

    @classmethod
    def for_renewal(cls, renewal, data=None):
        return cls(data=data, initial={"intent": renewal.intent, "reason": renewal.not_renewing_reason})


class ContactStepForm(forms.Form):
    """Confirm the contact as it is, or edit it (the billing contact record itself, REN-5)."""

    action = forms.ChoiceField(
        label=_("Is this contact right?"),
        choices=[("confirm", _("Yes, this is right")), ("edit", _("No, change it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Confirm the contact or choose to change it.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False,
                                 validators=[validate_contact_name])
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False,
                                validators=[validate_contact_name])
    email = forms.EmailField(
        label=_("Email"), max_length=254, required=False,
        error_messages={"invalid": _("Enter a valid email address, like name@example.com.")},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, contact=None, may_edit=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        if contact is None:
            # Nobody is named yet: the only way on is to name someone.
            self.fields["action"].choices = [("edit", _("Name the contact"))]
            self.fields["action"].initial = "edit"
        elif not may_edit:
            self.fields["action"].choices = [("confirm", _("Yes, this is right"))]
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "edit":
            messages = {
                "first_name": _("Enter a first name."),
                "last_name": _("Enter a last name."),
                "email": _("Enter an email address."),
            }
            for name, message in messages.items():
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    @classmethod
    def for_contact(cls, contact, *, may_edit, data=None):
        initial = {"version": 0}
        if contact is not None:
            initial = {"first_name": contact.first_name, "last_name": contact.last_name, "email": contact.email,
                       "version": contact.version}
        return cls(data=data, initial=initial, contact=contact, may_edit=may_edit)


class PoForm(forms.Form):
    po_number = forms.CharField(label=_("PO number"), max_length=64, required=False,
                                help_text=_("We print it on the invoice."))
    no_po_needed = forms.BooleanField(label=_("I don't need a PO number"), required=False)

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("po_number", "").strip()
        if number and cleaned.get("no_po_needed"):
            self.add_error("po_number", _("Enter a PO number or tick “I don't need a PO number”, not both."))
        elif not number and not cleaned.get("no_po_needed") and "po_number" not in self.errors:
            self.add_error("po_number", _("Enter a PO number, or tick “I don't need a PO number”."))
        cleaned["po_number"] = number
        return cleaned

    @classmethod
    def for_renewal(cls, renewal, data=None):
        return cls(data=data, initial={"po_number": renewal.po_number, "no_po_needed": renewal.no_po_needed})


class AddressForm(forms.Form):
    """Shipping and billing addresses: confirm the one on file, or request a change. Without an
    address on file, entering one is the only choice."""

    def __init__(self, *args, renewal, **kwargs):
        super().__init__(*args, **kwargs)
        self.renewal = renewal
        labels = {"shipping": _("Shipping address"), "billing": _("Billing address")}
        country_choices = [("", _("Choose a country"))] + list(countries)
        for kind in ADDRESS_KINDS:
            on_file = renewal.has_address(kind)
            choices = [("confirmed", _("This address is right")), ("changed", _("Request a change"))]
            self.fields[f"{kind}_address_action"] = forms.ChoiceField(
                label=labels[kind], choices=choices if on_file else choices[1:], widget=forms.RadioSelect,
                initial=(getattr(renewal, f"{kind}_address_action") or None) if on_file else "changed",
                error_messages={"required": _("Confirm the address or request a change.")},
            )
            self.fields[f"{kind}_company"] = forms.CharField(label=_("Company"), max_length=200, required=False)
            self.fields[f"{kind}_street"] = forms.CharField(label=_("Street address"), max_length=200, required=False)
            self.fields[f"{kind}_postal_code"] = forms.CharField(label=_("Postal code"), max_length=20, required=False)
            self.fields[f"{kind}_city"] = forms.CharField(label=_("City"), max_length=200, required=False)
            self.fields[f"{kind}_country"] = forms.ChoiceField(label=_("Country"), choices=country_choices,
                                                               required=False)
            for part in ("company", "street", "postal_code", "city"):
                self.fields[f"{kind}_{part}"].initial = getattr(renewal, f"{kind}_{part}")
            self.fields[f"{kind}_country"].initial = getattr(renewal, f"{kind}_country").code or ""

    def kind_fields(self, kind):
        return [self[f"{kind}_{part}"] for part in ("company", "street", "postal_code", "city", "country")]

    def clean(self):
        cleaned = super().clean()
        required = {"street": _("Enter the street address."), "city": _("Enter the city."),
                    "country": _("Choose the country.")}
        for kind in ADDRESS_KINDS:
            if cleaned.get(f"{kind}_address_action") == "changed":
                for part, message in required.items():
                    if not str(cleaned.get(f"{kind}_{part}", "")).strip():
                        self.add_error(f"{kind}_{part}", message)
        return cleaned

    def values(self) -> dict:
        """The model values to save: a confirmed address stays as on file."""
        values = {}
        for kind in ADDRESS_KINDS:
            action = self.cleaned_data[f"{kind}_address_action"]
            values[f"{kind}_address_action"] = action
            if action == "changed":
                for part in ("company", "street", "postal_code", "city", "country"):
                    values[f"{kind}_{part}"] = " ".join(str(self.cleaned_data[f"{kind}_{part}"]).split())
        return values


class InstructionsForm(forms.Form):
    instructions = forms.CharField(
        label=_("Additional billing instructions"), max_length=2000, required=False,
        help_text=_("For example a cost center, a supplier number or how the invoice must be addressed."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    no_instructions = forms.BooleanField(label=_("No additional instructions"), required=False)

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("instructions", "").strip()
        if text and cleaned.get("no_instructions"):
            self.add_error("instructions", _("Enter instructions or tick “No additional instructions”, not both."))
        elif not text and not cleaned.get("no_instructions") and "instructions" not in self.errors:
            self.add_error("instructions", _("Enter instructions, or tick “No additional instructions”."))
        cleaned["instructions"] = text
        return cleaned

    @classmethod
    def for_renewal(cls, renewal, data=None):
        return cls(data=data, initial={"instructions": renewal.instructions,
                                       "no_instructions": renewal.no_instructions})
