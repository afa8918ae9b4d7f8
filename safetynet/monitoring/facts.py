"""Department facts in a screening: how they enter the assessment, and what a run finds (pure polars).

No Django here, so the registry run, the benchmark's synthetic roster and a national engine share it.

**How facts enter the assessment (就高).** A fact enters when it speaks for the family, and only to
make its situation the harder of declared and reported; a fact that speaks against the declaration
(a car, a business, urban property, wages) never changes the assessment silently: it is a conflict
for someone to verify (a finding marked 疑似虚报/隐瞒).
- 医保 self-paid costs of the last `alert.fact_months` months, summed over the members: the
  household's rigid medical spending when larger than declared;
- 残联 a valid disability certificate: the member's disability when none is declared or the
  certificate's grade is more severe (a lower number);
- 住建 housing appraisal: the worse of the declared and the latest appraised grade (C/D: housing risk);
- 水利 water supply unsafe (the latest report): the household's water is unsafe;
- 人社 an unemployment registration later than any employment: the member is unemployed (not a retiree);
- 教育 the latest of enrolment and dropout: the member's schooling (dropout: not in school);
- 医保 enrolment: the latest says whether the member is insured;
- 公安 a death: the member no longer counts — kept on the roster as excluded `missing`, so that the
  rules treat the person as neither counted nor a capable supporter;
- 农业农村 a monitoring mark: the household carries the rural-affairs mark (tag 防止返贫监测对象);
- 应急 disaster losses of the last `alert.fact_months` months at least `alert.disaster_loss_min`:
  the risk `disaster` (因灾), which only a feed can tell, added beside the engine's risks.

农业农村 an income survey (收入核查) never lowers or raises the counted income: above it by more than
`alert.income_survey_tolerance`, it is a conflict (疑似少报收入, findings.income_survey_findings).

**Findings** are what a run would alert: (hh_key, kind, code) with the rule, a Chinese sentence and
the facts behind it. Risk, category change and monitoring candidate come from the results and the
current status (so they can also be derived for an earlier run's results); conflicts come from the
facts and the declaration. A finding is raised only when the previous run did not find it too.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from safetynet.core.document import SCHOOLING
from safetynet.policy.explain import RISK_LABELS
from safetynet.policy.roster import Roster

FACT_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.Int64(), "member_pk": pl.Int64(), "kind": pl.Utf8(), "occurred_on": pl.Date(),
    "amount_fen": pl.Int64(), "grade": pl.Int8(), "label": pl.Utf8(), "flag": pl.Boolean(),
}
FINDING_SCHEMA: dict[str, pl.DataType] = {
    "hh_key": pl.Int64(), "kind": pl.Utf8(), "code": pl.Utf8(), "member_pk": pl.Int64(),
    "suspected_fraud": pl.Boolean(), "rule": pl.Utf8(), "text": pl.Utf8(), "fact_ids": pl.List(pl.Int64()),
}
STATUS_SCHEMA: dict[str, pl.DataType] = {"hh_key": pl.Int64(), "status_categories": pl.List(pl.Utf8()),
                                         "status_tagged": pl.Boolean()}
FEED_RISK_LABELS = {"disaster": "因灾（灾害损失）"}
ALL_RISK_LABELS = {**RISK_LABELS, **FEED_RISK_LABELS}
MONITORING_KIND_CODES = {"unstable": "unstable", "marginal": "marginal", "sudden": "sudden",
                         "sudden_hardship": "sudden", "unstable_out_of_poverty": "unstable", "edge": "marginal"}
# the fact kinds that show each risk (evidence of a risk finding)
RISK_FACTS = {"self_paid": "illness", "housing_appraisal": "housing", "water_supply": "water",
              "disaster_loss": "disaster", "dropout": "dropout", "medical_enrolment": "uninsured",
              "unemployment": "unemployment"}
KEY = ["hh_key", "member_no"]
DATE = "%Y-%m-%d"


def months_before(on: dt.date, months: int) -> dt.date:
    """The day `months` months before `on` (the facts' period starts after it)."""
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    day = min(on.day, 28)
    return dt.date(year, month + 1, day)


def empty_facts() -> pl.DataFrame:
    return pl.DataFrame(schema={**FACT_SCHEMA, "hh_key": pl.Int64(), "member_no": pl.Int32()})


def _latest(facts: pl.DataFrame, kinds: list[str], by: list[str], *names: str) -> pl.DataFrame:
    """The latest fact of `kinds` per `by` (date, then record id), with `names` columns."""
    chosen = facts.filter(pl.col("kind").is_in(kinds)).sort("occurred_on", "record_id")
    return chosen.group_by(by).agg(pl.col(n).last() for n in names)


# ---- the overlay --------------------------------------------------------------------------------------


def _member_overlay(members: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    cert = _latest(facts.filter(pl.col("flag").fill_null(True)), ["disability_certificate"], KEY, "label", "grade")
    school = _latest(facts, ["school_enrolment", "dropout"], KEY, "kind", "label")
    hrss = _latest(facts, ["employment", "unemployment"], KEY, "kind")
    insured = _latest(facts, ["medical_enrolment"], KEY, "flag")
    dead = facts.filter(pl.col("kind") == "death").select(KEY).unique().with_columns(dead=pl.lit(True))
    joined = (members.join(cert.rename({"label": "cert_kind", "grade": "cert_grade"}), on=KEY, how="left")
              .join(school.rename({"kind": "school_fact", "label": "stage"}), on=KEY, how="left")
              .join(hrss.rename({"kind": "hrss_fact"}), on=KEY, how="left")
              .join(insured.rename({"flag": "insured"}), on=KEY, how="left")
              .join(dead, on=KEY, how="left"))
    severer = pl.col("cert_grade").is_not_null() & (pl.col("disability_grade").is_null()
                                                    | (pl.col("cert_grade") < pl.col("disability_grade")))
    dead_ = pl.col("dead").fill_null(False)
    return joined.with_columns(
        pl.when(severer).then(pl.col("cert_kind")).otherwise(pl.col("disability_kind")).alias("disability_kind"),
        pl.when(severer).then(pl.col("cert_grade")).otherwise(pl.col("disability_grade")).alias("disability_grade"),
        pl.when(pl.col("school_fact") == "dropout").then(pl.lit("none"))
        .when((pl.col("school_fact") == "school_enrolment") & pl.col("stage").is_in(list(SCHOOLING)))
        .then(pl.col("stage")).otherwise(pl.col("schooling")).alias("schooling"),
        pl.when((pl.col("hrss_fact") == "unemployment") & (pl.col("employment") != "retired"))
        .then(pl.lit("unemployed")).otherwise(pl.col("employment")).alias("employment"),
        pl.coalesce("insured", "medical_insured").alias("medical_insured"),
        pl.when(dead_).then(pl.lit("missing")).otherwise(pl.col("excluded")).alias("excluded"),
        pl.when(dead_).then(pl.lit(False)).otherwise(pl.col("co_resident")).alias("co_resident"),
    ).select(members.columns)


def _household_facts(facts: pl.DataFrame, *, since: dt.date) -> pl.DataFrame:
    """Per household: self-paid costs and disaster losses of the period, latest appraisal, water, mark."""
    recent = pl.col("occurred_on") > since
    sums = facts.group_by("hh_key").agg(
        (pl.col("amount_fen").filter((pl.col("kind") == "self_paid") & recent)).sum().alias("self_paid_fen"),
        (pl.col("amount_fen").filter((pl.col("kind") == "disaster_loss") & recent)).sum().alias("disaster_fen"))
    appraisal = _latest(facts, ["housing_appraisal"], ["hh_key"], "label").rename({"label": "appraised"})
    water = _latest(facts, ["water_supply"], ["hh_key"], "flag").rename({"flag": "water_fact"})
    mark = _latest(facts, ["monitoring_mark"], ["hh_key"], "flag", "label").rename(
        {"flag": "marked", "label": "mark_kind"})
    return sums.join(appraisal, on="hh_key", how="left").join(water, on="hh_key", how="left").join(
        mark, on="hh_key", how="left")


def _household_overlay(households: pl.DataFrame, per: pl.DataFrame) -> pl.DataFrame:
    joined = households.join(per, on="hh_key", how="left")
    worse = pl.col("appraised").is_in(["A", "B", "C", "D"]) & (
        pl.col("housing_grade").is_null() | (pl.col("appraised") > pl.col("housing_grade")))
    marked = pl.col("marked").fill_null(False)
    kind = pl.col("mark_kind").replace_strict(MONITORING_KIND_CODES, default=None, return_dtype=pl.Utf8)
    return joined.with_columns(
        pl.max_horizontal("rigid_medical_fen", pl.col("self_paid_fen").fill_null(0)).alias("rigid_medical_fen"),
        pl.when(worse).then(pl.col("appraised")).otherwise(pl.col("housing_grade")).alias("housing_grade"),
        (pl.col("water_safe") & pl.col("water_fact").fill_null(True)).alias("water_safe"),
        (pl.col("monitoring_object") | marked).alias("monitoring_object"),
        pl.when(marked & pl.col("monitoring_kind").is_null()).then(kind).otherwise(pl.col("monitoring_kind"))
        .alias("monitoring_kind"),
    ).select(households.columns)


def facts_overlay(roster: Roster, facts: pl.DataFrame, *, since: dt.date) -> Roster:
    """The roster with the facts entered 就高 (see the module's docstring); `facts` carry hh_key, member_no."""
    if facts.height == 0:
        return roster
    members = _member_overlay(roster.members, facts)
    households = _household_overlay(roster.households, _household_facts(facts, since=since))
    return Roster(households, members, roster.obligor_supports).cast()


def feed_risks(facts: pl.DataFrame, *, since: dt.date, disaster_min_fen: int) -> pl.DataFrame:
    """(hh_key, risk) that only a feed can tell: disaster losses of the period at least the threshold."""
    losses = (facts.filter((pl.col("kind") == "disaster_loss") & (pl.col("occurred_on") > since))
              .group_by("hh_key").agg(pl.col("amount_fen").sum()))
    return losses.filter(pl.col("amount_fen") >= disaster_min_fen).select("hh_key", risk=pl.lit("disaster"))


def results_with_feed_risks(results: pl.DataFrame, risks: pl.DataFrame) -> pl.DataFrame:
    """The engine's results with the feed's risks added to `risks` (sorted, as the engine sorts them)."""
    if risks.height == 0:
        return results
    extra = risks.group_by("hh_key").agg(pl.col("risk").alias("feed_risks"))
    touched = (results.filter(pl.col("status") == "ok").select("hh_key", "risks").join(extra, on="hh_key")
               .select("hh_key", merged=pl.concat_list("risks", "feed_risks").list.unique().list.sort()))
    joined = results.join(touched, on="hh_key", how="left", maintain_order="left")
    return joined.with_columns(pl.coalesce("merged", "risks").alias("risks")).drop("merged")
