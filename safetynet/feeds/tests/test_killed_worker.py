"""A real worker process killed (SIGKILL) while it writes a feed leaves no rows; after a restart the
import shows as interrupted and runs again to completion.

The worker runs against its own database (a fresh SQLite file, or a fresh PostgreSQL database when the
suite runs on PostgreSQL), because the test's own database lives inside an uncommitted transaction.
A test-only setting (SAFETYNET_FEEDS_TEST_SLOW_WRITE) makes the worker pause after each written row,
so the kill lands in the middle of the write transaction.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
from datetime import date
from safetynet.accounts.models import User
from safetynet.core.document import parse_household_document
from safetynet.core.idnumber import make_id_number
from safetynet.feeds.services import feed_import_start
from safetynet.regions.models import Region as R
from safetynet.registry.services import household_save
c = R.objects.create(code="220821", name="镇赉县", level="county")
t = R.objects.create(code="220821101", name="坦途镇", level="township", parent=c)
v = R.objects.create(code="220821101200", name="坦途村", level="village", parent=t)
user = User.objects.create_user(username="county", role="county_civil", region=c)
ids = [make_id_number("220821", date(1980 + i, 1, 1), 11 + 2 * i) for i in range(3)]
members = [{"name": f"成员{i}", "id_number": n, "relation": "self" if i == 0 else "child"} for i, n in enumerate(ids)]
household_save(document=parse_household_document({"region": "220821101200", "residence": "rural",
                                                  "members": members}), by=user)
rows = "\\n".join(f"{n},,医疗自付,2025-03-31,{100 + i}," for i, n in enumerate(ids))
data = ("身份证号,姓名,数据类型,结算日期,个人自付金额（元）,参保状态\\n" + rows + "\\n").encode()
print(feed_import_start(source="medical", file_name="医保.csv", data=data, by=user).pk)
"""

RERUN = """
from safetynet.feeds.models import FeedImport
from safetynet.jobs.services import job_rerun
job_rerun(FeedImport.objects.get().job, by=None)
"""


@pytest.fixture
def worker_database(tmp_path: Path) -> Any:
    """(DATABASE_URL, query) for a database of the worker's own; dropped afterwards on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = tmp_path / "worker.sqlite3"

        def query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=10) as connection:
                return connection.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{os.environ.get('SAFETYNET_TEST_DB', 'test_safetynet')}_worker"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    own = parts._replace(path=f"/{name}").geturl()

    def query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(own, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    yield own, query
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_worker_killed_mid_write_leaves_no_rows_and_the_import_can_run_again(tmp_path, worker_database):
    url, query = worker_database
    env = {**os.environ, "DATABASE_URL": url, "SAFETYNET_VAR_DIR": str(tmp_path / "var")}

    def manage(*args: str, **extra: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **extra},
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    # given: a registry with three members and their feed queued
    manage("migrate", "--noinput", "-v", "0")
    manage("shell", "-c", SETUP)
    # when: a worker writes the rows one per second and is killed after the first ones
    worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--poll", "0.2"], cwd=ROOT,
                              env={**env, "SAFETYNET_FEEDS_TEST_SLOW_WRITE": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while query("SELECT message FROM jobs_job") != [("正在写入",)]:
            assert time.monotonic() < deadline and worker.poll() is None, "the worker never started writing"
            time.sleep(0.1)
        time.sleep(1.5)  # one or two rows inserted, not committed
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # then: nothing was written, and the job still says "running" until a worker starts again
    assert query("SELECT COUNT(*) FROM feeds_feedrecord") == [(0,)]
    assert query("SELECT status FROM jobs_job") == [("running",)]
    manage("jobs_worker", "--until-empty")
    assert query("SELECT status FROM jobs_job") == [("interrupted",)]
    status, error = query("SELECT status, error FROM feeds_feedimport")[0]
    assert status == "failed" and "中断" in error
    # and: run again, it imports every row once
    manage("shell", "-c", RERUN)
    manage("jobs_worker", "--until-empty")
    assert query("SELECT status, rows_added FROM feeds_feedimport") == [("done", 3)]
    assert query("SELECT COUNT(*) FROM feeds_feedrecord") == [(3,)]
    first = query('SELECT "values" FROM feeds_feedrecord ORDER BY row_number')[0][0]
    assert (json.loads(first) if isinstance(first, str) else first) == {"amount": "100.00"}
