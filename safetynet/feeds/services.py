"""Importing a department feed: upload, then a background job that reads, checks, matches and writes.

1. `feed_import_start` keeps the file, records who sent what (hash, size), audits it and queues a job.
2. The job (`feed_import_run`) reads the file, checks every row against the source spec, matches ID
   numbers to registry members in one query, and
3. writes all facts in one short transaction — or nothing: a file with any bad row is REJECTED with its
   report, and a killed run has written nothing (it is marked interrupted and can be run again).
Facts already stored (same row_key) and repeats inside the file are counted, never added twice.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from safetynet.audit.models import AuditEvent
from safetynet.audit.services import audit_record
from safetynet.feeds.access import may_import
from safetynet.feeds.models import FeedImport, FeedRecord, Source
from safetynet.feeds.reading import FileProblem, read_feed_file
from safetynet.feeds.spec import source_spec
from safetynet.feeds.validation import PROBLEM_SCHEMA, Validation, feed_validate
from safetynet.jobs.models import Job
from safetynet.jobs.services import MESSAGE_INTERRUPTED, JobError, Progress, job_enqueue, job_handler
from safetynet.registry.models import Member

JOB_KIND = "feeds.import"
MAX_FILE_BYTES = 200 * 1024 * 1024
SQLITE_WRITE_CACHE_KIB = 256 * 1024
IN_QUERY_LIMIT = 20_000  # more distinct ID numbers than this: read the whole id→member table at once
# Tests only: seconds to wait after each written row, so a test can kill the worker mid-write.
SLOW_WRITE_ENV = "SAFETYNET_FEEDS_TEST_SLOW_WRITE"

NOT_ALLOWED = "您没有导入“{source}”数据的权限（部门经办只能导入本部门的数据）"
EMPTY_FILE = "文件是空的，请重新选择"
TOO_LARGE = "文件超过 200 MB，请分成几个文件上传"
UNMATCHED = ("未匹配：低收入人口档案中没有此身份证号", "核对身份证号；若此人不在档案中则无需处理（本行不导入）")
REJECTED = "文件中有 {rows} 行存在问题，整个文件未导入。请下载问题报告，改正后重新上传"
BAD_HEADERS = "表头与模板不符，整个文件未导入。请下载问题报告查看缺少或多出的列，按模板改正后重新上传"
NO_ROWS = "文件只有表头，没有数据行"
FILE_MISSING = "原始文件已不存在，无法重新导入，请重新上传"


def _feeds_dir(*parts: str) -> Path:
    path = Path(settings.MEDIA_ROOT, "feeds", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def feed_import_start(*, source: str, file_name: str, data: bytes, by: Any) -> FeedImport:
    """Keep the upload, record it (who, when, hash) and queue its import."""
    if not may_import(by, source):
        raise JobError(NOT_ALLOWED.format(source=source_spec(source).label))
    if not data:
        raise JobError(EMPTY_FILE)
    if len(data) > MAX_FILE_BYTES:
        raise JobError(TOO_LARGE)
    digest = hashlib.sha256(data).hexdigest()
    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    stored = _feeds_dir("uploads") / f"{digest}{suffix}"
    stored.write_bytes(data)
    with transaction.atomic():
        feed_import = FeedImport.objects.create(
            source=source, file_name=Path(file_name).name[:200], file_sha256=digest, file_size=len(data),
            uploaded_by=by, stored_file=str(stored.relative_to(settings.MEDIA_ROOT)))
        feed_import.job = job_enqueue(JOB_KIND, by=by, label=f"导入{feed_import.get_source_display()}数据：{feed_import.file_name}",
                                      args={"feed_import": feed_import.pk})
        feed_import.save(update_fields=["job"])
        audit_record(by=by, action=AuditEvent.Action.CREATE, object_type="feed_import", object_id=feed_import.pk,
                     object_label=f"上传部门数据 {feed_import.file_name}",
                     detail={"source": source, "sha256": digest, "size": len(data)})
    return feed_import


@job_handler(JOB_KIND, on_interrupt=lambda job: _interrupted(job))
def feed_import_job(job: Job, progress: Progress) -> dict:
    feed_import = FeedImport.objects.select_related("uploaded_by").get(pk=job.args["feed_import"])
    return feed_import_run(feed_import, progress=progress)


def _interrupted(job: Job) -> None:
    FeedImport.objects.filter(job=job, status__in=[FeedImport.Status.RUNNING, FeedImport.Status.QUEUED]).update(
        status=FeedImport.Status.FAILED, error=MESSAGE_INTERRUPTED, finished_at=timezone.now())


def feed_import_run(feed_import: FeedImport, *, progress: Progress | None = None, today: date | None = None) -> dict:
    """Read, check, match and write one upload; returns the counts (also kept on the FeedImport)."""
    report = progress or (lambda *args, **kwargs: None)
    _reset(feed_import)
    spec = source_spec(feed_import.source)
    path = Path(settings.MEDIA_ROOT, feed_import.stored_file)
    if not path.exists():
        return _fail(feed_import, FILE_MISSING)
    report(0, None, "正在读取文件")
    try:
        table = read_feed_file(path.read_bytes(), file_name=feed_import.file_name,
                               text_headers={c.header for c in spec.columns if c.type == "id_number"})
    except FileProblem as problem:
        return _fail(feed_import, str(problem))
    feed_import.encoding = table.encoding
    total = len(table.frame)
    if total == 0:
        return _fail(feed_import, NO_ROWS)
    report(total // 4, total, f"正在检查 {total} 行")
    checked = feed_validate(table, spec, today=today or timezone.localdate())
    report(total // 2, total, "正在匹配在册人员")
    facts, unmatched = _match(checked)
    feed_import.rows_total = total
    feed_import.rows_invalid = checked.invalid_rows
    feed_import.rows_unmatched = len(unmatched)
    problems = pl.concat([checked.problems, unmatched]).sort("row", maintain_order=True)
    if checked.facts.is_empty() and len(checked.problems):
        _write_report(feed_import, problems)
        return _finish(feed_import, FeedImport.Status.REJECTED, error=BAD_HEADERS)
    if feed_import.rows_invalid:
        _write_report(feed_import, problems)
        return _finish(feed_import, FeedImport.Status.REJECTED, error=REJECTED.format(rows=feed_import.rows_invalid))
    report(total * 3 // 4, total, "正在写入")
    added = _write(feed_import, facts)  # repeats inside the file are skipped by the write's ON CONFLICT, too
    feed_import.rows_added = added
    feed_import.rows_duplicate = len(facts) - added
    if len(unmatched):
        _write_report(feed_import, problems)
    audit_record(by=feed_import.uploaded_by, action=AuditEvent.Action.CREATE, object_type="feed_import",
                 object_id=feed_import.pk, object_label=f"导入部门数据 {feed_import.file_name}",
                 detail={"source": feed_import.source, "added": added, "duplicate": feed_import.rows_duplicate,
                         "unmatched": feed_import.rows_unmatched})
    return _finish(feed_import, FeedImport.Status.DONE)


def _reset(feed_import: FeedImport) -> None:
    for name in ("rows_total", "rows_added", "rows_duplicate", "rows_unmatched", "rows_invalid"):
        setattr(feed_import, name, 0)
    feed_import.status, feed_import.error, feed_import.report_file = FeedImport.Status.RUNNING, "", ""
    feed_import.save()


def _fail(feed_import: FeedImport, message: str) -> dict:
    """A file that cannot be read at all: REJECTED, with the reason as the report's one line."""
    _write_report(feed_import, pl.DataFrame([(0, "", "", message, "")], schema=PROBLEM_SCHEMA, orient="row"))
    return _finish(feed_import, FeedImport.Status.REJECTED, error=message)


def _finish(feed_import: FeedImport, status: str, *, error: str = "") -> dict:
    feed_import.status, feed_import.error, feed_import.finished_at = status, error, timezone.now()
    feed_import.save()
    return {"feed_import": feed_import.pk, "status": status, "added": feed_import.rows_added,
            "duplicate": feed_import.rows_duplicate, "unmatched": feed_import.rows_unmatched,
            "invalid": feed_import.rows_invalid}


def _match(checked: Validation) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(facts with member_id, problems for valid ID numbers not in the registry)."""
    if checked.facts.is_empty() or checked.invalid_rows:
        facts = checked.facts
        if facts.is_empty():
            return facts, pl.DataFrame(schema=PROBLEM_SCHEMA)
        bad_rows = checked.problems["row"].unique()
        facts = facts.filter(~pl.col("__row").is_in(bad_rows.implode()) & pl.col("id_number").is_not_null())
    else:
        facts = checked.facts
    members = _member_ids(facts["id_number"].unique())
    joined = facts.join(members, on="id_number", how="left")
    unmatched = joined.filter(pl.col("member_id").is_null()).select(
        pl.col("__row").alias("row"), pl.lit("身份证号").alias("header"), pl.col("id_number").alias("value"),
        pl.lit(UNMATCHED[0]).alias("problem"), pl.lit(UNMATCHED[1]).alias("fix"))
    return joined.filter(pl.col("member_id").is_not_null()), unmatched


def _member_ids(numbers: pl.Series) -> pl.DataFrame:
    """id_number → member_id for the given numbers, in one query (or a few), never one per row."""
    table = Member._meta.db_table
    with connection.cursor() as cursor:
        if len(numbers) > IN_QUERY_LIMIT:
            # the whole table as two comma-joined texts (one row, aggregated by the database in one scan, so the
            # two lists pair up) split by polars: a third of the time of fetching 500k tuples
            sqlite = connection.vendor == "sqlite"
            joined = "group_concat({}, ',')" if sqlite else "string_agg({}::text, ',' ORDER BY id)"
            cursor.execute(f"SELECT {joined.format('id_number')}, {joined.format('id')} FROM {table}")
            numbers_text, ids_text = cursor.fetchone()
            return pl.DataFrame({"id_number": pl.Series([numbers_text or ""]).str.split(","),
                                 "member_id": pl.Series([ids_text or ""]).str.split(",")}).explode(
                "id_number", "member_id").filter(pl.col("id_number") != "").cast({"member_id": pl.Int64})
        else:
            rows = []
            values = numbers.to_list()
            for start in range(0, len(values), 900):
                chunk = values[start:start + 900]
                cursor.execute(f"SELECT id_number, id FROM {table} WHERE id_number IN ({', '.join(['%s'] * len(chunk))})",
                               chunk)
                rows.extend(cursor.fetchall())
    return pl.DataFrame(rows, schema={"id_number": pl.Utf8, "member_id": pl.Int64}, orient="row")


_COLUMNS = ["source", "kind", "id_number", "member_id", "occurred_on", "values", "feed_import_id", "row_number",
            "row_key"]
_COLUMN_LIST = ", ".join(f'"{c}"' for c in _COLUMNS)


def _write(feed_import: FeedImport, facts: pl.DataFrame) -> int:
    """Insert the facts in one transaction; rows already stored (same source and row_key) are skipped, and so are
    a fact's repeats inside the file (the first in file order is kept: the order ends with the row number).

    In (member, kind, date) order, so the member index and the member foreign-key checks walk the
    registry in order instead of jumping about (the unique row_key index takes its inserts at random
    places either way). No Django cursor wrapper and no model objects: SQLite gets one prepared INSERT
    executed over plain tuples; PostgreSQL gets the rows by COPY (CSV written by polars) into a temporary
    table and one INSERT … SELECT.
    """
    ordered = facts.sort("member_id", "kind", "occurred_on", "__row").select(
        "kind", "id_number", "member_id", pl.col("occurred_on").cast(pl.Utf8), "values", "__row", "row_key")
    slow = float(os.environ.get(SLOW_WRITE_ENV, "0") or 0)
    with transaction.atomic():
        if slow:
            return _write_slowly(feed_import, ordered, slow)
        if connection.vendor == "postgresql":
            return _write_postgresql(feed_import, ordered)
        return _write_sqlite(feed_import, ordered)


def _write_sqlite(feed_import: FeedImport, rows: pl.DataFrame) -> int:
    """One prepared INSERT … ON CONFLICT DO NOTHING over plain tuples, source and import as SQL literals.

    With a large page cache for the duration (the default 2 MB makes a million-row write re-read index pages).
    """
    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection, inside Django's transaction
    table = FeedRecord._meta.db_table
    source, pk = Source(feed_import.source).value, int(feed_import.pk)  # a choice and an int: safe as literals
    sql = (f'INSERT INTO "{table}" ({_COLUMN_LIST}) '
           f"VALUES ('{source}', ?, ?, ?, ?, ?, {pk}, ?, ?) ON CONFLICT (source, row_key) DO NOTHING")
    before = raw.total_changes
    raw.execute(f"PRAGMA cache_size = -{SQLITE_WRITE_CACHE_KIB}")
    try:
        raw.executemany(sql, rows.rows())
        return raw.total_changes - before
    finally:
        raw.execute("PRAGMA cache_size = -2000")  # SQLite's default; the connection may serve pages next


def _write_postgresql(feed_import: FeedImport, rows: pl.DataFrame) -> int:
    """COPY the rows (CSV from polars, no Python object per row) into a temporary table, then one INSERT."""
    table = FeedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE feed_rows (kind text, id_number text, member_id bigint, "
                       "occurred_on date, \"values\" text, row_number integer, row_key text) ON COMMIT DROP")
        with cursor.cursor.copy("COPY feed_rows FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(rows.write_csv(include_header=False))
        cursor.execute(
            f'INSERT INTO "{table}" ({_COLUMN_LIST}) '
            f'SELECT %s, kind, id_number, member_id, occurred_on, "values"::jsonb, %s, row_number, row_key '
            f"FROM feed_rows ON CONFLICT (source, row_key) DO NOTHING", [feed_import.source, feed_import.pk])
        added = cursor.rowcount
        cursor.execute("DROP TABLE feed_rows")  # ON COMMIT DROP alone would leave it for a second import in one transaction
        return added


def _write_slowly(feed_import: FeedImport, rows: pl.DataFrame, pause: float) -> int:
    """Tests only: one row at a time with a pause after each, so a test can kill the worker mid-write."""
    table = FeedRecord._meta.db_table
    cast = connection.vendor == "postgresql"
    marks = ["%s", "%s", "%s", "%s", "%s::date" if cast else "%s", "%s::jsonb" if cast else "%s", "%s", "%s", "%s"]
    sql = (f'INSERT INTO "{table}" ({_COLUMN_LIST}) VALUES ({", ".join(marks)}) '
           f"ON CONFLICT (source, row_key) DO NOTHING")
    added = 0
    with connection.cursor() as cursor:
        for kind, id_number, member_id, occurred_on, values, row, key in rows.iter_rows():
            cursor.execute(sql, [feed_import.source, kind, id_number, member_id, occurred_on, values, feed_import.pk,
                                 row, key])
            added += cursor.rowcount
            time.sleep(pause)
    return added


def _write_report(feed_import: FeedImport, problems: pl.DataFrame) -> None:
    from safetynet.feeds.workbooks import feed_report_xlsx

    summary = [("数据来源", feed_import.get_source_display()), ("文件名", feed_import.file_name),
               ("文件哈希（SHA-256）", feed_import.file_sha256), ("数据行数", feed_import.rows_total),
               ("有错误的行", feed_import.rows_invalid), ("未匹配到在册人员", feed_import.rows_unmatched),
               ("结果", "有错误，整个文件未导入" if feed_import.rows_invalid else "已导入（未匹配的行未导入）")]
    data = feed_report_xlsx(title=f"部门数据导入问题报告（第{feed_import.pk}号）", summary=summary, problems=problems)
    path = _feeds_dir("reports") / f"{feed_import.pk}.xlsx"
    path.write_bytes(data)
    feed_import.report_file = str(path.relative_to(settings.MEDIA_ROOT))
