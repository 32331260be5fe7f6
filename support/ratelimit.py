"""Anti-automation (SUP-6): per-user and per-IP limits on creating tickets and replying, counted
in the shared Redis cache so every web node enforces the same budget.

Limits are settings like allauth's: `"5/10m/user,30/d/user,20/h/ip"` — N per period (s, m, h, d,
with an optional multiplier) per signed-in user or per client IP (allauth's `get_client_ip`, which
honours `ALLAUTH_TRUSTED_PROXY_COUNT` behind a proxy)."""

import math
import re
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RULE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)([smhd])\s*/\s*(user|ip)\s*$")


def parse(spec: str) -> list[tuple[int, int, str]]:
    rules = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _RULE_RE.match(part)
        if not match:
            raise ValueError(f"Bad rate limit {part!r}")
        count, multiplier, unit, key = match.groups()
        rules.append((int(count), int(multiplier or 1) * _PERIODS[unit], key))
    return rules


def consume(request, action: str) -> int | None:
    """Count one `action` by this request's user and IP. Returns None within the limits, else the
    number of seconds until the tightest exceeded limit resets (the action must then be refused)."""
    spec = settings.HUB_SUPPORT_RATE_LIMITS.get(action, "")
    now = time.time()
    wait = None
    for limit, period, key in parse(spec):
        if key == "user":
            ident = str(request.user.pk) if request.user.is_authenticated else None
        else:
            ident = get_adapter(request).get_client_ip(request)
        if not ident:
            continue
        window = int(now // period)
        cache_key = f"support:rl:{action}:{key}:{period}:{ident}:{window}"
        cache.add(cache_key, 0, timeout=period + 5)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=period + 5)
            count = 1
        if count > limit:
            remaining = math.ceil((window + 1) * period - now)
            wait = max(wait or 0, remaining)
    return wait
