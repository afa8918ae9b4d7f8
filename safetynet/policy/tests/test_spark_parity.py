"""The rules on Apache Spark give exactly what the embedded engine gives (issue 3, item 4).

Spark (local mode, this machine's Java 17) partitions the roster by household and applies the very
`assess_frame` to each partition through Arrow. Every column of the assessed households and members
must be identical: categories, tags, risks, candidates, amounts, ratios and each rule's verdict.
Slow (a Spark start costs 10–20 s) but part of `make test`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from bench.roster import AS_OF, generate, write
from safetynet.core.document import parse_household_document
from safetynet.policy.engine import assess_frame
from safetynet.policy.roster import Roster, roster_from_documents
from safetynet.policy.spark import local_session, roster_pack, spark_assess, spark_collect, spark_roster
from safetynet.policy.tests.reference_cases import load_cases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = local_session(cores=2)
    yield session
    session.stop()


def _embedded(roster: Roster, on: dt.date) -> dict[str, pl.DataFrame]:
    assessed = assess_frame(roster, on)
    return {"households": assessed.households.sort("hh_key"),
            "members": assessed.members.sort("hh_key", "member_no")}


def _assert_identical(on_spark: dict[str, pl.DataFrame], embedded: dict[str, pl.DataFrame]) -> None:
    for table in ("households", "members"):
        assert_frame_equal(on_spark[table], embedded[table], check_exact=True)


def _cases_by_date() -> dict[dt.date, list[dict]]:
    by_date: dict[dt.date, list[dict]] = {}
    for case in load_cases():
        by_date.setdefault(dt.date.fromisoformat(str(case["as_of"])), []).append(case)
    return by_date


def test_reference_cases_on_spark_equal_the_embedded_engine(spark: object) -> None:
    for on, cases in _cases_by_date().items():
        # given: the reference households of that date as one roster
        roster = roster_from_documents([parse_household_document(c["household"]) for c in cases])
        packed = spark.createDataFrame(roster_pack(roster).to_arrow(compat_level=pl.CompatLevel.oldest()))
        # when
        on_spark = spark_collect(spark_assess(packed, on=on, partitions=3))
        # then
        assert on_spark["households"].height == len(cases)
        _assert_identical(on_spark, _embedded(roster, on))


def test_synthetic_roster_of_10000_households_on_spark_equals_the_embedded_engine(spark: object,
                                                                                   tmp_path: Path) -> None:
    # given: the benchmark's generator, written as the Parquet roster Spark reads itself
    frames = generate(10_000)
    write(frames, tmp_path)
    roster = Roster(frames.households, frames.members, frames.obligor_supports)
    # when
    on_spark = spark_collect(spark_assess(spark_roster(spark, str(tmp_path)), on=AS_OF))
    # then: the same verdicts, and the roster exercises every category
    embedded = _embedded(roster, AS_OF)
    _assert_identical(on_spark, embedded)
    found = set(embedded["households"].get_column("categories").explode().drop_nulls().to_list())
    assert found == {"tekun", "dibao", "dibao_edge", "rigid_expense", "other_hardship"}
