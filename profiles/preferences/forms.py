from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EmailCategory

LOCKED_MESSAGE = _("%(category)s can't be turned off.")


class EmailPreferencesForm(forms.Form):
    """One checkbox per category the address sees (PREF-2). Always-on categories are disabled
    and checked (PREF-3): a browser never submits them, so a request that explicitly turns one
    off was made by hand and is answered with an error at that category."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            self.fields[choice.key] = forms.BooleanField(
                label=choice.name, required=False, initial=choice.is_subscribed, disabled=choice.is_locked
            )

    def clean(self):
        cleaned = super().clean()
        for choice in self.choices:
            if choice.is_locked and choice.key in self.data:
                if not forms.CheckboxInput().value_from_datadict(self.data, self.files, choice.key):
                    self.add_error(choice.key, LOCKED_MESSAGE % {"category": choice.name})
        return cleaned

    def hidden_categories_posted(self) -> list[str]:
        """Keys of active categories this address does not see that the request tries to set:
        the action is refused (403), not ignored."""
        foreign = [key for key in self.data if key not in self.fields and key != "csrfmiddlewaretoken"]
        if not foreign:
            return []
        return list(EmailCategory.objects.filter(key__in=foreign, is_active=True).values_list("key", flat=True))

    def choices_to_save(self) -> dict[str, bool]:
        return {choice.key: self.cleaned_data[choice.key] for choice in self.choices if not choice.is_locked}

    def rows(self):
        """(choice, bound field) pairs for the template."""
        return [(choice, self[choice.key]) for choice in self.choices]
