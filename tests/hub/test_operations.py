"""OPS-1, SEC-2 and the Celery wiring: health, a real worker on the real Redis, deploy checks."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from hub import notifications
from hub.celery import app as celery_app
from hub.models import Heartbeat, OutboundEmail
from hub.tasks import record_heartbeat

from ..conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
def test_a_real_worker_delivers_email_queued_in_a_transaction(celery_worker, cast):
    with transaction.atomic():
        email = notifications.queue_email(
            to_email=cast.standard_user.email, template="allauth/unknown_account", context={"email": "x@y.example"}
        )
    assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT)
    assert len(mail.outbox) == 1


@pytest.mark.celery_worker
def test_the_heartbeat_task_runs_on_a_worker_and_health_turns_green(celery_worker, client):
    assert client.get("/health/").status_code == 503
    record_heartbeat.delay()
    assert wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok", "redis": "ok", "worker": "ok",
        "worker_seen_at": response.json()["checks"]["worker_seen_at"],
    }


@pytest.mark.django_db
def test_health_reports_a_stale_worker(client):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


def test_beat_schedule_names_cadence_and_purpose_and_points_at_real_tasks():
    from django.conf import settings

    celery_app.loader.import_default_modules()
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert key.startswith(("every-", "daily-", "hourly-", "weekly-")), key
        assert entry["task"] in celery_app.tasks, entry["task"]


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, "DEBUG": "0", "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-entropy-8f3a9c",
        "ALLOWED_HOSTS": "hub.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "hub.example.com"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import hub.settings"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_responses_carry_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy
