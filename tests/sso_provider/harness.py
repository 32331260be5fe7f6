"""Start the test identity provider as a second process for a test session or module."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Provider:
    url: str
    process: subprocess.Popen

    @property
    def issuer(self):
        return self.url + "/o"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(work_dir: Path, *, users, clients, timeout=90):
    """Yield a `Provider` serving users and clients (see server.py) until the block ends."""
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "seed.json").write_text(json.dumps({"users": users, "clients": clients}))
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    log = open(work_dir / "provider.log", "wb")  # noqa: SIM115 - lives as long as the process
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso_provider.server", "--dir", str(work_dir), "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    provider = Provider(url=f"http://127.0.0.1:{port}", process=process)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("the test identity provider exited:\n" + (work_dir / "provider.log").read_text())
            try:
                if requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test identity provider did not start in time")
            time.sleep(0.2)
        yield provider
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
