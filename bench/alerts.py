"""Screening with alert generation, beside the plain screening of the same roster in the same run.

- Demo county (20,500 households, SQLite): `safetynet screen` (plain, the baseline) and then
  `safetynet screen --alerts` after synthetic department facts were added (about 4 % of members:
  self-paid costs, certificates, appraisals, deaths, vehicles, businesses, wages …). Each a fresh
  process, wall time. The alert run reads the facts, current statuses and the previous run, enters
  the facts, assesses, finds, stores results with findings and bulk-inserts the new alerts.
- 1M synthetic households (bench/roster.py, Parquet): the plain screening (`parquet_screen`, results
  written beside the roster) and the same roster screened with alert generation: synthetic facts
  (Parquet, same rates) entered by `facts_overlay`, findings by the same functions as the registry
  run, compared with the plain run's results as the previous run and its categories as the current
  status, new findings given owners (per region) and due dates (`DueDates`), written as an alerts
  Parquet file. The database insert of alerts is measured by the demo county figure, not here (the
  1M households are not in a database).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PY, ROOT, manage, note, report

N_1M = 1_000_000
FACT_RATES = {"self_paid": 0.010, "disability_certificate": 0.003, "employment": 0.005, "unemployment": 0.003,
              "housing_appraisal": 0.003, "property": 0.002, "death": 0.001, "vehicle": 0.003, "business": 0.002,
              "water_supply": 0.002, "disaster_loss": 0.002, "monitoring_mark": 0.002, "dropout": 0.0005,
              "medical_enrolment": 0.002, "income_survey": 0.002}
SEED = 20250901


# --- synthetic facts -------------------------------------------------------------------------------------


def synthetic_facts(members: object, *, member_pk: object) -> object:
    """FACT_SCHEMA rows for `members` (hh_key, member_no, member_pk) at FACT_RATES, vectorised."""
    import datetime as dt

    import numpy as np
    import polars as pl

    from safetynet.monitoring.facts import FACT_SCHEMA

    rng = np.random.default_rng(SEED)
    n = members.height
    frames = []
    start = 0
    for kind, rate in FACT_RATES.items():
        k = int(n * rate)
        rows = rng.choice(n, size=k, replace=False)
        days = rng.integers(0, 360, k)
        frame = pl.DataFrame({
            "member_pk": member_pk.gather(rows), "kind": pl.Series([kind] * k, dtype=pl.Utf8),
            "occurred_on": pl.Series(np.datetime64(dt.date(2025, 7, 31)) - days.astype("timedelta64[D]")).cast(pl.Date),
            "amount_fen": rng.integers(100_000, 5_000_000, k), "grade": rng.integers(1, 5, k).astype(np.int8),
            "label": pl.Series(rng.choice(_labels(kind), k), dtype=pl.Utf8), "flag": rng.random(k) < 0.3,
        }).with_columns(record_id=pl.int_range(start, start + k, dtype=pl.Int64))
        start += k
        frames.append(frame)
    return pl.concat(frames).select(FACT_SCHEMA.keys()).cast(FACT_SCHEMA)


def _labels(kind: str) -> list[str]:
    return {"disability_certificate": ["physical", "visual", "intellectual", "mental"], "vehicle": ["car", "truck",
            "motorcycle"], "housing_appraisal": ["B", "C", "D"], "dropout": ["junior"],
            "monitoring_mark": ["sudden_hardship", "unstable"], "disaster_loss": ["flood"]}.get(kind, [""])


def _demo_facts() -> None:
    """Child: add synthetic facts to the demo county's database (one bulk insert)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    django.setup()
    import polars as pl

    from safetynet.accounts.models import User
    from safetynet.feeds.models import FeedImport, FeedRecord, Source
    from safetynet.monitoring.alerting import AMOUNT_KEYS, FLAG_KEYS, LABEL_KEYS
    from safetynet.monitoring.tests.feeds import SOURCES
    from safetynet.registry.models import Member

    made = FeedRecord.objects.filter(row_key__startswith="bench-").count()
    if made:  # the demo county's own first month of feeds is there too: only the synthetic facts count
        print(made)
        return
    members = pl.DataFrame(list(Member.objects.values_list("pk", "id_number")), schema=["member_pk", "id_number"],
                           orient="row")
    facts = synthetic_facts(members, member_pk=members.get_column("member_pk"))
    ids = dict(members.iter_rows())
    by = User.objects.filter(is_superuser=False).order_by("pk").first()
    imports = {s: FeedImport.objects.create(source=s, file_name=f"{s}-bench.csv", file_sha256=s * 4, uploaded_by=by,
                                            status="done") for s in Source.values}
    records = []
    for i, row in enumerate(facts.iter_rows(named=True)):
        kind = row["kind"]
        values = {AMOUNT_KEYS[kind]: f"{row['amount_fen'] / 100:.2f}"} if kind in AMOUNT_KEYS else {}
        if kind in LABEL_KEYS:
            values[LABEL_KEYS[kind]] = row["label"]
        if kind in FLAG_KEYS:
            values[FLAG_KEYS[kind]] = bool(row["flag"]) if kind != "disability_certificate" else True
        if kind == "disability_certificate":
            values["grade"] = int(row["grade"])
        source = SOURCES[kind]
        records.append(FeedRecord(source=source, kind=kind, id_number=ids[row["member_pk"]], member_id=row["member_pk"],
                                  occurred_on=row["occurred_on"], values=values, feed_import=imports[source],
                                  row_number=i + 2, row_key=f"bench-{i}"))
    FeedRecord.objects.bulk_create(records, batch_size=2_000)
    print(len(records))


# --- the 1M roster -----------------------------------------------------------------------------------------


def _member_pks(roster: object) -> object:
    import polars as pl

    return roster.members.select("hh_key", "member_no",
                                 member_pk=pl.col("hh_key") * 16 + pl.col("member_no").cast(pl.Int64))


def _child_facts(directory: str) -> None:
    import polars as pl

    members = pl.read_parquet(Path(directory) / "members.parquet", columns=["hh_key", "member_no"])
    member_pk = (members.get_column("hh_key") * 16 + members.get_column("member_no").cast(pl.Int64))
    facts = synthetic_facts(members, member_pk=member_pk)
    facts.write_parquet(Path(directory) / "bench-facts.parquet")
    print(facts.height)


def _child_plain(directory: str) -> None:
    from bench.roster import AS_OF
    from safetynet.monitoring.screening import parquet_screen
    from safetynet.policy.params import default_parameters

    totals, results = parquet_screen(Path(directory), on=AS_OF, params=default_parameters(), store=True)
    print(json.dumps({"households": totals.households, "results": str(results)}))


def _child_alerts(argument: str) -> None:
    """Screen the 1M roster with alert generation (argument: roster dir and the plain run's results dir)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    django.setup()  # the due dates' parameters and calendar come through the app, as in a registry run
    import polars as pl

    from bench.roster import AS_OF
    from safetynet.monitoring.alerts import DueDates
    from safetynet.monitoring.facts import (
        facts_overlay,
        feed_risks,
        months_before,
        results_with_feed_risks,
    )
    from safetynet.monitoring.findings import (
        conflict_findings,
        finding_keys,
        income_survey_findings,
        new_findings,
        status_findings,
    )
    from safetynet.monitoring.screening import (
        ParquetResults,
        key_ranges,
        parquet_key_span,
        parquet_roster,
        screen_chunks,
    )
    from safetynet.policy.params import default_parameters

    directory, previous_dir = (Path(p) for p in argument.split(","))
    params, on = default_parameters(), AS_OF
    since = months_before(on, int(params.resolve("alert.fact_months", "220821", on).value))
    disaster_min = int(params.resolve("alert.disaster_loss_min", "220821", on).value * 100)
    tolerance = params.resolve("alert.income_survey_tolerance", "220821", on).value.as_integer_ratio()
    facts = pl.read_parquet(directory / "bench-facts.parquet")
    previous = pl.read_parquet(previous_dir / "part-*.parquet",
                               columns=["hh_key", "status", "categories", "tags", "risks", "monitoring_candidate"])
    status = previous.select("hh_key", status_categories=pl.col("categories").list.eval(
        pl.element().filter(pl.element() != "other_hardship")), status_tagged=pl.col("tags").list.contains(
        "monitoring_object"))
    known = status_findings(previous, status).select("hh_key", "kind", "code").unique().sort("hh_key")
    chunks: dict[int, tuple] = {}
    found: list[pl.DataFrame] = []

    def load(bounds: tuple[int, int]) -> object:
        roster = parquet_roster(directory, bounds)
        chunk_facts = facts.join(_member_pks(roster), on="member_pk", how="inner")
        chunks[bounds[0]] = (roster, chunk_facts)
        return facts_overlay(roster, chunk_facts, since=since)

    writer = ParquetResults(directory, on=on, started=__import__("datetime").datetime.now())

    def each(results: pl.DataFrame, assessed: object, overlaid: object) -> None:
        low = int(results.get_column("hh_key").min())
        key = max(k for k in chunks if k <= low)
        roster, chunk_facts = chunks.pop(key)
        results = results_with_feed_risks(results, feed_risks(chunk_facts, since=since, disaster_min_fen=disaster_min))
        findings = pl.concat([status_findings(results, status, chunk_facts),
                              conflict_findings(roster, chunk_facts, since=since),
                              income_survey_findings(results, chunk_facts, since=since, tolerance=tolerance)])
        regions = roster.households.select("hh_key", "region")
        found.append(new_findings(findings, known).join(regions, on="hh_key", how="left"))
        writer(results.join(finding_keys(findings), on="hh_key", how="left", maintain_order="left"), assessed,
               overlaid)

    low, high, _ = parquet_key_span(directory)
    totals = screen_chunks(load, key_ranges(low, high), on=on, params=params, each=each, workers=2)
    writer.close()
    alerts = pl.concat(found)
    due = DueDates(params)
    regions = alerts.select("region").unique().with_columns(owner=pl.col("region").hash() % 100_000)
    dues = {kind: due(kind, "220821", on) for kind in alerts.get_column("kind").unique()}
    alerts = alerts.join(regions, on="region").with_columns(
        due_on=pl.col("kind").replace_strict(dues, return_dtype=pl.Date))
    alerts.write_parquet(writer.directory / "alerts.parquet")
    print(json.dumps({"households": totals.households, "alerts": alerts.height,
                      "kinds": dict(alerts.get_column("kind").value_counts().iter_rows()),
                      "results": str(writer.directory)}))


CHILDREN = {"facts": _child_facts, "plain": _child_plain, "alerts": _child_alerts, "demo_facts": lambda _: _demo_facts()}


def _child(mode: str, argument: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([PY, "-m", "bench.alerts", mode, argument], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def _roster() -> Path:
    """The 1M roster, linked into a folder of this benchmark: results are written beside the roster, and
    bench/screening.py clears results beside the shared one."""
    code = f"from bench.roster import ensure; print(ensure({N_1M}))"
    done = subprocess.run([PY, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    shared = Path(done.stdout.strip().splitlines()[-1])
    own = ROOT / "var" / "bench-alerts-roster" / shared.name
    own.mkdir(parents=True, exist_ok=True)
    for name in ("households.parquet", "members.parquet", "obligor_supports.parquet", "meta.json"):
        link = own / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(shared / name)
    return own


def _one_million() -> None:
    directory = _roster()
    if not (directory / "bench-facts.parquet").exists():
        _child("facts", str(directory))
    plain_s, out = _child("plain", str(directory))
    plain = json.loads(out)
    alerts_s, out = _child("alerts", f"{directory},{plain['results']}")
    summary = json.loads(out)
    for results in (plain["results"], summary["results"]):
        shutil.rmtree(results, ignore_errors=True)
    note(f"1m: {summary['households']} households, {summary['alerts']} new findings as alerts {summary['kinds']}")
    report("screening_plain_1m_s", plain_s, "s")
    report("screening_with_alerts_1m_s", alerts_s, "s")
    report("screening_alerts_vs_plain_1m", alerts_s / plain_s, "ratio")


def _demo_county() -> None:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["SAFETYNET_VAR_DIR"] = str(ROOT / "var" / "bench-alerts")
    shutil.rmtree(env["SAFETYNET_VAR_DIR"], ignore_errors=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "demo_county")
    _child("demo_facts", "-", env=env)
    started = time.perf_counter()
    manage(env, "screen", "--on", "2025-08-01")
    plain_s = time.perf_counter() - started
    started = time.perf_counter()
    out = manage(env, "screen", "--on", "2025-08-01", "--alerts")
    alerts_s = time.perf_counter() - started
    note("demo county: " + next((line.strip() for line in out.splitlines() if "新生成预警" in line), "no alerts line"))
    report("screening_plain_demo_s", plain_s, "s")
    report("screening_with_alerts_demo_s", alerts_s, "s")


def run() -> None:
    note(f"alerts: fresh processes, wall time; load average {os.getloadavg()[0]:.1f}")
    _demo_county()
    _one_million()


if __name__ == "__main__":
    CHILDREN[sys.argv[1]](sys.argv[2])
