"""PRO-8: the contact standard users see."""

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField


class AdminContactForm(forms.Form):
    """One of the organization's brand administrators, or someone else with a name and an email
    address and/or phone number. The view passes the administrators to choose from."""

    SOMEONE_ELSE = "someone_else"
    # The three contact fields are grouped under "Someone else" (they apply to that choice only).
    template_name = "profiles/_admin_contact_form.html"

    contact = forms.ChoiceField(label=_("Who standard users see"), widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Contact name"), max_length=150, required=False,
        help_text=_("A person, or a team such as “IT service desk”."),
    )
    email = forms.EmailField(label=_("Contact email"), required=False)
    phone = PhoneNumberField(
        label=_("Contact phone"), required=False,
        help_text=_("With the country code, for example +1 303 555 0142."),
    )

    def __init__(self, data=None, *, admins, organization, viewer=None, **kwargs):
        self.admins = {str(admin.public_id): admin for admin in admins}
        if data is None:
            kwargs.setdefault("initial", self._initial(organization))
        super().__init__(data, **kwargs)
        self.fields["contact"].choices = [
            (key, self._label(admin, viewer)) for key, admin in self.admins.items()
        ] + [(self.SOMEONE_ELSE, _("Someone else"))]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")

    def _initial(self, organization):
        chosen = next((key for key, admin in self.admins.items() if admin.pk == organization.admin_contact_id), None)
        if chosen is not None:
            return {"contact": chosen}
        if organization.admin_contact_id is None and organization.admin_contact_name:
            return {
                "contact": self.SOMEONE_ELSE,
                "name": organization.admin_contact_name,
                "email": organization.admin_contact_email,
                "phone": organization.admin_contact_phone.as_international if organization.admin_contact_phone else "",
            }
        return {}

    @staticmethod
    def _label(admin, viewer):
        label = f"{admin} ({admin.email})" if admin.email else str(admin)
        if viewer is not None and admin.pk == viewer.pk:
            return _("%(name)s — you") % {"name": label}
        return label

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("contact")
        if choice is None:
            return cleaned
        if choice != self.SOMEONE_ELSE:
            cleaned["admin"] = self.admins[choice]
            return cleaned
        cleaned["admin"] = None
        if not cleaned.get("name", "").strip() and "name" not in self.errors:
            self.add_error("name", _("Enter the contact's name."))
        if not cleaned.get("email") and not cleaned.get("phone") and not {"email", "phone"} & set(self.errors):
            self.add_error("email", _("Enter an email address or a phone number for the contact."))
        return cleaned
