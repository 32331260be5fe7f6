"""How long a callback waits, in words, in the reader's language (CB-2)."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def wait_text(wait):
    """"less than a minute", "about 12 minutes", "about 2 h 05 min"; "" when unknown."""
    if wait is None or not wait.is_known:
        return ""
    minutes = wait.minutes
    if minutes <= 1:
        return _("less than a minute") if wait.seconds < 60 else _("about 1 minute")
    if minutes < 120:
        return ngettext("about %(minutes)d minute", "about %(minutes)d minutes", minutes) % {"minutes": minutes}
    return _("about %(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}
