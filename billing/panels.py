"""Banners shown at the top of a contract on the billing page, contributed by apps: billing's
150-day confirmation (BILL-9) and, from the renewals app, "Your renewal is coming up" (REN-1).
Apps register them in `AppConfig.ready()`, so billing never imports the apps built on it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Contract


@dataclass(frozen=True)
class ContractBanner:
    """`get_context(request, contract)` returns the template's context, or None when the banner
    does not apply. `contract` carries its licenses, contacts and `is_confirmed_this_cycle`."""

    key: str
    order: int
    template: str
    get_context: Callable[[HttpRequest, Contract], dict | None]


_banners: dict[str, ContractBanner] = {}


def register_contract_banner(banner: ContractBanner):
    _banners[banner.key] = banner


def contract_banners(request, contract: Contract) -> list[dict]:
    """The banners that apply to `contract` for this viewer, in order, ready for `render_panel`."""
    panels = []
    for banner in sorted(_banners.values(), key=lambda b: b.order):
        context = banner.get_context(request, contract)
        if context is not None:
            panels.append({"key": banner.key, "template": banner.template, "context": context})
    return panels
