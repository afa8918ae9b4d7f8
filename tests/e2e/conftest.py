"""Browser tests: Debian's chromium driven by Playwright against a real server process.

The server is granian, as `make run` starts it, on a database of its own (a fresh SQLite file, or a
fresh PostgreSQL database when DATABASE_URL points at PostgreSQL), seeded with a small demo county.
pytest-django's live_server is not used: its flush between tests cannot run against the append-only
audit table, and a separate process is closer to what county staff use.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp: Path) -> tuple[str, Any]:
    """A fresh database for the server, and how to drop it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    import psycopg

    name = f"sn_e2e_{uuid.uuid4().hex[:10]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


class E2EServer:
    """The server under test: its URL, and `manage(...)` to run a management command on its database."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url, self.env = url, env

    def manage(self, *args: str) -> str:
        done = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True)
        return done.stdout

    def shell(self, code: str) -> str:
        """Python run against the server's database (to look up what a test must type, e.g. an ID number)."""
        return self.manage("shell", "-v", "0", "-c", code).strip()


@pytest.fixture(scope="session")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2EServer]:
    tmp = tmp_path_factory.mktemp("e2e")
    url, drop = _database_url(tmp)
    env = {**os.environ, "DATABASE_URL": url, "SAFETYNET_VAR_DIR": str(tmp / "var"), "DEBUG": "0"}
    python = str(ROOT / ".venv/bin/python")
    for args in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"],
                 ["demo_county", "--households", "400"]):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(tmp / "server.log", "w")
    # As `make run`: granian and the background-job worker, side by side.
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--log-level", "warning", "safetynet.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([python, "manage.py", "jobs_worker", "--poll", "0.2"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield E2EServer(f"http://127.0.0.1:{port}", env)
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(timeout=20)
        log.close()
        drop()


@pytest.fixture(scope="session")
def e2e_server(e2e: E2EServer) -> str:
    return e2e.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's chromium: Playwright's own browser download is not possible offline.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Any:
    """Save a screenshot under test-artifacts/<test name>/NN-<label>.png."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page: Any, label: str) -> Path:
        path = folder / f"{next(counter):02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
