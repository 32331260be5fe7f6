"""The launcher's commands: run, test and services."""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time

from .processes import PYTHON, ROOT, STATE, Managed, cmdline, log, pid_alive, port_is_free, stop_pid
from .services import start_services, stop_all

# --- Bootstrap steps -------------------------------------------------------------------------


def compile_translations():
    """Compile every locale/*/LC_MESSAGES/*.po to .mo in pure Python (no GNU gettext needed)."""
    import polib

    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True)


class Interrupted(Exception):
    pass


def _raise_interrupted(signum, frame):
    raise Interrupted


def leftover_processes_file():
    return STATE / "processes.json"


def stop_leftover_processes():
    path = leftover_processes_file()
    with contextlib.suppress(OSError, ValueError):
        for name, pid in json.loads(path.read_text()).items():
            if pid_alive(pid) and ("manage.py" in cmdline(pid) or "celery" in cmdline(pid)):
                log(f"stopping the {name} a previous run left running (pid {pid})")
                stop_pid(pid)
        path.unlink()


def command_run(args):
    env = dict(os.environ)
    STATE.mkdir(parents=True, exist_ok=True)
    stop_leftover_processes()
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
    children = []
    try:
        children += start_services(STATE, env, fast=False, pg_port=int(env.get("HUB_PG_PORT", 54320)),
                                   redis_port=int(env.get("HUB_REDIS_PORT", 63790)))
        compile_translations()
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        port = int(env.get("HUB_PORT", "8000"))
        if not port_is_free(port):
            raise SystemExit(f"Port {port} is taken; set HUB_PORT to another port.")
        env.setdefault("HUB_PUBLIC_URL", f"http://127.0.0.1:{port}")
        processes = {
            "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            "worker": [PYTHON, "-m", "celery", "-A", "hub", "worker", "-l", "INFO", "--concurrency", "2",
                       "--without-gossip", "--without-mingle", "-n", "hub-worker@%h"],
            "beat": [PYTHON, "-m", "celery", "-A", "hub", "beat", "-l", "INFO",
                     "-s", str(STATE / "celerybeat-schedule")],
        }
        started = {}
        for name, argv in processes.items():
            child = Managed(name, argv, env=env)
            children.append(child)
            started[name] = child.pid
        leftover_processes_file().write_text(json.dumps(started))
        log("")
        log(f"Customer Success Hub is running at http://127.0.0.1:{port}/")
        log(f"Staff admin: http://127.0.0.1:{port}/admin/   Health: http://127.0.0.1:{port}/health/")
        log("Demo logins (password for all: hub-demo-password) are listed above by seed_demo.")
        log("Emails are printed by the worker below and listed in the admin under Hub › Emails.")
        log("Press Ctrl-C to stop everything.")
        while True:
            for child in children:
                if not child.running():
                    raise SystemExit(f"{child.name} stopped unexpectedly; see the output above.")
            time.sleep(0.5)
    except Interrupted:
        log("stopping…")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_all(children)
        with contextlib.suppress(OSError):
            leftover_processes_file().unlink()
        log("stopped.")


def command_test(args):
    env = dict(os.environ)
    base = STATE / f"test-{os.getpid()}"
    signal.signal(signal.SIGTERM, _raise_interrupted)
    services = []
    try:
        services = start_services(base, env, fast=True)
        compile_translations()
        env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
        result = subprocess.run([PYTHON, "-m", "pytest", *args.pytest_args], env=env, cwd=ROOT)
        return result.returncode
    except Interrupted:
        return 130
    finally:
        stop_all(services)
        shutil.rmtree(base, ignore_errors=True)


def command_services(args):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
    services = []
    try:
        services = start_services(STATE, env, fast=False, pg_port=int(env.get("HUB_PG_PORT", 54320)),
                                  redis_port=int(env.get("HUB_REDIS_PORT", 63790)))
        log(f"export DATABASE_URL={env['DATABASE_URL']} REDIS_URL={env['REDIS_URL']}")
        log("Press Ctrl-C to stop.")
        while all(service.running() for service in services):
            time.sleep(0.5)
        return 1
    except Interrupted:
        return 0
    finally:
        stop_all(services)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hub.launcher")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="the whole hub with demo data")
    test = sub.add_parser("test", help="the test suite against throw-away services")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    sub.add_parser("services", help="only PostgreSQL and Redis")
    args = parser.parse_args(argv)
    if args.command == "test" and args.pytest_args[:1] == ["--"]:
        args.pytest_args = args.pytest_args[1:]
    handler = {"run": command_run, "test": command_test, "services": command_services}[args.command]
    return handler(args) or 0
