import logging
from datetime import timedelta

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import navigation
from .forms import LanguageForm
from .models import Heartbeat
from .services import set_user_language

logger = logging.getLogger(__name__)
HEARTBEAT_MAX_AGE = timedelta(minutes=3)


def home(request):
    """HOME-2: who I am, what needs my attention, where to go."""
    return render(
        request,
        "hub/home.html",
        {
            "banners": navigation.home_panels(request, "banner"),
            "cards": navigation.home_panels(request, "card"),
        },
    )


@login_not_required
@require_POST
def language_set(request):
    """The language switcher (header menu and login page). Signed-in users keep their choice."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            set_user_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            httponly=True,
        )
    return response


@login_not_required
@require_GET
@never_cache
def health(request):
    """OPS-1: database, Redis, and a worker heartbeat written by a beat-scheduled task."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health: database")
        checks["database"] = "unavailable"
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
        checks["redis"] = "ok"
    except Exception:
        logger.exception("health: redis")
        checks["redis"] = "unavailable"
    if checks["database"] == "ok":
        beat = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
        if beat is None:
            checks["worker"] = "never seen"
        elif timezone.now() - beat > HEARTBEAT_MAX_AGE:
            checks["worker"] = "stale"
        else:
            checks["worker"] = "ok"
        checks["worker_seen_at"] = beat.isoformat() if beat else None
    else:
        checks["worker"] = "unknown"
    healthy = all(checks[name] == "ok" for name in ("database", "redis", "worker"))
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks}, status=200 if healthy else 503)
