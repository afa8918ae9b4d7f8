"""The time of `make run` from a fresh clone, until the platform answers on its port."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

from bench.common import ROOT, free_port, note, report


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop make and the server it started (the whole process group), by force if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def run() -> None:
    workdir = tempfile.mkdtemp(prefix="safetynet-fresh-")
    clone = os.path.join(workdir, "safetynet")
    subprocess.run(["git", "clone", "-q", str(ROOT), clone], check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SAFETYNET_VAR_DIR", "VIRTUAL_ENV"}}
    started = time.monotonic()
    process = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while process.poll() is None and not _answers(f"http://127.0.0.1:{port}/accounts/login/"):
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        if process.poll() is not None:
            raise RuntimeError(f"make run exited with {process.returncode} before serving")
        note(f"fresh clone in {clone}: make run answered after {elapsed:.1f} s")
        report("make_run_fresh_clone_s", elapsed, "s")
        _stop(process)
        deadline = time.monotonic() + 30  # make exits before granian has let go of the port
        while _answers(f"http://127.0.0.1:{port}/accounts/login/") and time.monotonic() < deadline:
            time.sleep(0.2)
        again = time.monotonic()
        second = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        process = second
        while process.poll() is None and not _answers(f"http://127.0.0.1:{port}/accounts/login/"):
            time.sleep(0.2)
        report("make_run_second_s", time.monotonic() - again, "s")
    finally:
        _stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
