"""Helpers shared by the benchmarks: output lines, a server process, a load run with wrk."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def report(name: str, value: float, unit: str) -> None:
    shown = f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"
    print(f"BENCH {name} {shown} {unit}", flush=True)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout


@contextmanager
def server(env: dict[str, str], *, workers: int = 2) -> Iterator[str]:
    """granian serving the app as `make run` does; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--blocking-threads", "4", "--log-level", "warning",
         "safetynet.wsgi:application"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(port)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


@dataclass
class Load:
    requests: int
    bad: int
    p50_ms: float
    p95_ms: float
    rps: float


_LUA = """
local paths = %(paths)s
local i = 0
wrk.headers["Cookie"] = "%(cookie)s"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
              + summary.errors.write + summary.errors.timeout
  io.write(string.format("WRKRESULT %%d %%d %%f %%f %%f\\n", summary.requests, bad,
           latency:percentile(50) / 1000, latency:percentile(95) / 1000,
           summary.requests / (summary.duration / 1e6)))
end
"""


def load(base: str, paths: list[str], *, cookie: str, clients: int = 20, seconds: int = 15) -> Load:
    """`clients` concurrent connections for `seconds`, cycling through `paths` (wrk, 2 threads)."""
    # Lua strings take no \u escapes: send the paths percent-encoded, as a browser does.
    quoted = [json.dumps(quote(p, safe="/?=&%")) for p in paths]
    lua = _LUA % {"paths": "{" + ",".join(quoted) + "}", "cookie": cookie}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s",
                               script.name, base], capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRKRESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    n, bad, p50, p95, rps = line.split()[1:]
    return Load(int(n), int(bad), float(p50), float(p95), float(rps))
