"""The profile menu and the home page's panels, contributed by each app.

Apps register their entries in `AppConfig.ready()`; the hub renders only the ones whose access
rule holds for the viewer, so the hub never imports the apps that build on it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class ProfileSection:
    key: str
    label: str
    url_name: str
    order: int
    is_visible: Callable


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page. `slot` is "banner" (top, for things that need action) or
    "card" (the entry points). `get_context(request)` returns None when the panel does not apply."""

    key: str
    slot: str
    order: int
    template: str
    get_context: Callable[[HttpRequest], dict | None]


_profile_sections: dict[str, ProfileSection] = {}
_home_panels: dict[str, HomePanel] = {}


def register_profile_section(section: ProfileSection):
    _profile_sections[section.key] = section


def register_home_panel(panel: HomePanel):
    _home_panels[panel.key] = panel


def profile_menu(user, current_key):
    """The profile menu entries this user may see, in order, marking the current one."""
    return [
        {
            "key": section.key,
            "label": section.label,
            "url": reverse(section.url_name),
            "is_current": section.key == current_key,
        }
        for section in sorted(_profile_sections.values(), key=lambda s: s.order)
        if section.is_visible(user)
    ]


def home_panels(request, slot):
    panels = []
    for panel in sorted(_home_panels.values(), key=lambda p: p.order):
        if panel.slot != slot:
            continue
        context = panel.get_context(request)
        if context is not None:
            panels.append({"key": panel.key, "template": panel.template, "context": context})
    return panels
