"""A registry screening that raises alerts: facts in, findings out, new findings raised in bulk.

`screening_run(..., alerts=True)` hands each chunk's roster through `AlertScreening.load` (department
facts entered 就高, facts.py) and each chunk's results through `AlertScreening.examine` (findings,
findings.py); at the end `raise_alerts` raises the findings the previous run did not have, in one
bulk insert. Reads are a handful of queries per run (facts, current statuses, the previous run's
results, open alerts, the facts' files); nothing here loops over households in Python except to
build the alert rows themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from safetynet.feeds.models import FeedRecord
from safetynet.intake.models import HouseholdStatus
from safetynet.monitoring.alerts import OPEN_STATUSES, AlertDraft, alerts_raise_bulk
from safetynet.monitoring.facts import (
    FACT_SCHEMA,
    STATUS_SCHEMA,
    empty_facts,
    facts_overlay,
    feed_risks,
    months_before,
    results_with_feed_risks,
)
from safetynet.monitoring.findings import (
    FINDING_KEY,
    NONE,
    conflict_findings,
    finding_keys,
    income_survey_findings,
    new_findings,
    status_findings,
)
from safetynet.monitoring.models import Alert, ScreeningResult, ScreeningRun
from safetynet.monitoring.registry_roster import RegistryRoster
from safetynet.policy.params import ParameterSet
from safetynet.policy.roster import Roster

AMOUNT_KEYS = {"self_paid": "amount", "employment": "monthly_wages", "vehicle": "value", "business": "capital",
               "disaster_loss": "amount", "income_survey": "annual_income"}
LABEL_KEYS = {"disability_certificate": "kind", "school_enrolment": "stage", "dropout": "stage",
              "housing_appraisal": "grade", "vehicle": "kind", "disaster_loss": "disaster", "monitoring_mark": "kind"}
FLAG_KEYS = {"medical_enrolment": "insured", "disability_certificate": "valid", "property": "urban",
             "water_supply": "safe", "monitoring_mark": "object"}
KNOWN_SCHEMA = {"hh_key": pl.Int64(), "kind": pl.Utf8(), "code": pl.Utf8()}
PREVIOUS_SCHEMA = {"hh_key": pl.Int64(), "status": pl.Utf8(), "categories": pl.List(pl.Utf8()),
                   "tags": pl.List(pl.Utf8()), "risks": pl.List(pl.Utf8()), "monitoring_candidate": pl.Boolean()}


def _fen(raw: Any) -> int | None:
    try:
        return None if raw in (None, "") else int(Decimal(str(raw)) * 100)
    except InvalidOperation:
        return None


def _fact_row(pk: int, member: int, kind: str, on: dt.date, values: dict[str, Any]) -> tuple[Any, ...]:
    grade = values.get("grade") if kind == "disability_certificate" else None
    label = values.get(LABEL_KEYS[kind]) if kind in LABEL_KEYS else None
    flag = values.get(FLAG_KEYS[kind]) if kind in FLAG_KEYS else None
    return (pk, member, kind, on, _fen(values.get(AMOUNT_KEYS.get(kind, ""))),
            int(grade) if grade not in (None, "") else None, None if label is None else str(label),
            None if flag is None else bool(flag))


def feed_facts(*, on: dt.date) -> pl.DataFrame:
    """Every fact dated on or before `on`, one row each (FACT_SCHEMA); figures from their `values`."""
    rows = FeedRecord.objects.filter(occurred_on__lte=on).values_list("pk", "member_id", "kind", "occurred_on",
                                                                      "values")
    return pl.DataFrame([_fact_row(*row) for row in rows.iterator(chunk_size=5_000)], schema=FACT_SCHEMA,
                        orient="row")


def current_status() -> pl.DataFrame:
    """The status in force of every household that has one (STATUS_SCHEMA)."""
    rows = HouseholdStatus.objects.filter(effective_to__isnull=True).values_list(
        "household_id", "categories", "monitoring_object")
    return pl.DataFrame(list(rows), schema=STATUS_SCHEMA, orient="row")


def previous_run(run: ScreeningRun | None) -> ScreeningRun | None:
    runs = ScreeningRun.objects.filter(source=ScreeningRun.REGISTRY, status=ScreeningRun.Status.DONE)
    if run is not None:
        runs = runs.exclude(pk=run.pk).filter(started_at__lte=run.started_at)
    return runs.order_by("-started_at", "-pk").first()


def known_findings(previous: ScreeningRun | None, status: pl.DataFrame) -> pl.DataFrame:
    """What the previous run found: its stored findings, and those derivable from its results (so a
    run before alerting existed is a baseline, not a reason to alert every known risk).

    Except, after a run that raised no alerts, a family the rules placed in a category while it has
    none in force (eligible, never assisted): that run told nobody, and bringing such a family to
    someone's desk is what screening is for (主动发现), so the next alerting run raises it.
    """
    if previous is None:
        return pl.DataFrame(schema=KNOWN_SCHEMA)
    rows = ScreeningResult.objects.filter(run=previous).values_list(
        "hh_key", "error", "categories", "tags", "risks", "monitoring_candidate", "findings")
    stored: list[tuple[int, str, str]] = []
    results = []
    for hh_key, error, categories, tags, risks, candidate, findings in rows.iterator(chunk_size=5_000):
        results.append((hh_key, "error" if error else "ok", categories, tags, risks, candidate))
        stored.extend((hh_key, *item.split(":", 1)) for item in findings or ())
    frame = pl.DataFrame(results, schema=PREVIOUS_SCHEMA, orient="row")
    derived = status_findings(frame, status).select(FINDING_KEY)
    if "alerts" not in previous.counts:
        derived = derived.filter(~((pl.col("kind") == "category_change") & pl.col("code").str.starts_with(f"{NONE}>")))
    return pl.concat([derived, pl.DataFrame(stored, schema=KNOWN_SCHEMA, orient="row")]).unique().sort("hh_key")


def _window(params: ParameterSet, region: str, on: dt.date) -> tuple[dt.date, int, tuple[int, int]]:
    """(facts counted since, the disaster loss that is a risk in fen, the income survey's tolerance as num/den)."""
    months = int(params.resolve("alert.fact_months", region, on).value or 0)
    disaster = params.resolve("alert.disaster_loss_min", region, on).value or Decimal(0)
    tolerance = params.resolve("alert.income_survey_tolerance", region, on).value or Decimal(0)
    return months_before(on, months), int(disaster * 100), tolerance.as_integer_ratio()


class AlertScreening:
    """The alerting half of one registry screening (see the module's docstring)."""

    def __init__(self, *, run: ScreeningRun | None, on: dt.date, params: ParameterSet) -> None:
        self.run, self.on, self.params = run, on, params
        self.facts = feed_facts(on=on)
        self.status = current_status()
        self.known = known_findings(previous_run(run), self.status)
        self.found: list[pl.DataFrame] = []
        self._chunk: tuple[Roster, pl.DataFrame, dt.date, int, tuple[int, int]] | None = None

    def load(self, chunk: RegistryRoster) -> Roster:
        """The chunk's roster with its facts entered; keeps the declared roster for the conflicts."""
        roster = chunk.roster
        facts = (self.facts.join(chunk.member_pks, on="member_pk", how="inner") if self.facts.height
                 else empty_facts())
        region = roster.households.get_column("region")[0] if roster.households.height else "220821"
        since, disaster_min, tolerance = _window(self.params, region, self.on)
        self._chunk = (roster, facts, since, disaster_min, tolerance)
        return facts_overlay(roster, facts, since=since)

    def examine(self, results: pl.DataFrame) -> pl.DataFrame:
        """The chunk's results with the feed's risks and each household's findings (kept for raising)."""
        assert self._chunk is not None
        declared, facts, since, disaster_min, tolerance = self._chunk
        results = results_with_feed_risks(results, feed_risks(facts, since=since, disaster_min_fen=disaster_min))
        found = pl.concat([status_findings(results, self.status, facts),
                           conflict_findings(declared, facts, since=since),
                           income_survey_findings(results, facts, since=since, tolerance=tolerance)])
        regions = declared.households.select("hh_key", "region")
        self.found.append(new_findings(found, self.known).join(regions, on="hh_key", how="left"))
        return results.join(finding_keys(found), on="hh_key", how="left", maintain_order="left")

    def raise_alerts(self, *, by: Any = None) -> dict[str, int]:
        """Raise the new findings that have no open alert; counts per kind of what was raised."""
        found = pl.concat(self.found) if self.found else pl.DataFrame()
        if found.height == 0:
            return {}
        open_keys = pl.DataFrame(list(Alert.objects.filter(status__in=OPEN_STATUSES).values_list(
            "household_id", "kind", "code")), schema=KNOWN_SCHEMA, orient="row")
        found = found.join(open_keys, on=FINDING_KEY, how="anti", maintain_order="left")
        facts = fact_details(found.get_column("fact_ids").explode().drop_nulls().unique().to_list())
        drafts = [self._draft(row, facts) for row in found.iter_rows(named=True)]
        alerts_raise_bulk(drafts, on=self.on, screening_run=self.run, by=by, params=self.params)
        return dict(found.get_column("kind").value_counts().iter_rows())

    def _draft(self, row: dict[str, Any], facts: dict[int, dict[str, Any]]) -> AlertDraft:
        ids = row["fact_ids"] or []
        evidence = {"text": row["text"], "rule": row["rule"], "feed_records": ids,
                    "facts": [facts[i] for i in ids if i in facts],
                    "screening_run": getattr(self.run, "pk", None)}
        return AlertDraft(household_id=row["hh_key"], region_id=row["region"], kind=row["kind"], code=row["code"],
                          evidence=evidence, member_id=row["member_pk"], suspected_fraud=row["suspected_fraud"])


def fact_details(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Source, file, row and date of each fact named as evidence (no ID number: the member is the alert's)."""
    details = {}
    for start in range(0, len(ids), 5_000):  # under SQLite's limit of query parameters
        rows = FeedRecord.objects.filter(pk__in=ids[start:start + 5_000]).values_list(
            "pk", "source", "kind", "occurred_on", "row_number", "feed_import_id", "feed_import__file_name")
        details.update({pk: {"id": pk, "source": source, "kind": kind, "on": on.isoformat(), "row": row,
                             "import": imp, "file": file} for pk, source, kind, on, row, imp, file in rows})
    return details
