"""Property: any valid households assessed one by one give the same results as screened in one batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetynet.core.document import (
    DISABILITY_KINDS,
    EMPLOYMENT,
    EXCLUSIONS,
    ILLNESS,
    LABOR,
    MONITORING_KINDS,
    OBLIGOR_STATUS,
    RELATIONS,
    SCHOOLING,
    VEHICLE_KINDS,
    parse_household_document,
)
from safetynet.core.idnumber import make_id_number
from safetynet.policy.assess import NotAssessable, assess
from safetynet.policy.engine import assess_frame
from safetynet.policy.params import Value, default_parameters
from safetynet.policy.roster import roster_from_documents

ON = dt.date(2025, 8, 1)
REGIONS = ("220821103201", "220821001002", "220821101200001", "220821102")
# Township 220821101 has its own rural standard, so a mixed batch joins two parameter rows while a single
# household gets one (literals): both paths of the engine are compared.
PARAMS = default_parameters().with_overlay([Value(
    name="dibao.standard.rural_annual", value=Decimal(6000), since=dt.date(2025, 6, 1), region="220821101",
    status="P", source="乡镇试点标准（测试）", origin="overlay", reason="测试")])
# Amounts around the thresholds (S = 460/720 a month) as well as anywhere, with fen.
money = st.one_of(st.integers(0, 20000), st.decimals(0, 60000, places=2), st.sampled_from([0, 5520, 8280, 17800]))
disability = st.none() | st.fixed_dictionaries({"kind": st.sampled_from(sorted(DISABILITY_KINDS)),
                                                "grade": st.integers(1, 4)})


def _member(serial: int, relation: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "name": st.just(f"成员{serial}"), "relation": st.just(relation),
        "id_number": st.dates(dt.date(1925, 1, 1), dt.date(2025, 7, 31)).map(
            lambda born: make_id_number("220821", born, serial)),
        # mostly living together and not excluded, so that most households can be assessed
        "co_resident": st.sampled_from([True, True, True, False]),
        "excluded": st.sampled_from([None] * 6 + sorted(EXCLUSIONS)),
        "schooling": st.sampled_from(sorted(SCHOOLING)), "disability": disability,
        "labor": st.sampled_from(sorted(LABOR)), "illness": st.sampled_from(sorted(ILLNESS)),
        "employment": st.sampled_from(sorted(EMPLOYMENT)), "self_care_failed": st.integers(0, 6),
        "medical_insured": st.booleans(),
        "income": st.fixed_dictionaries({"wages": money, "business": money, "property": money, "transfer": money}),
    })


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    """A valid household document: 1–6 members, exactly one head, obligors naming members."""
    others = draw(st.lists(st.sampled_from(sorted(set(RELATIONS) - {"self"})), max_size=5))
    members = [draw(_member(i, relation)) for i, relation in enumerate(["self", *others])]
    names = [m["name"] for m in members]
    obligors = draw(st.lists(st.fixed_dictionaries({
        "name": st.just("义务人"), "supports": st.lists(st.sampled_from(names), min_size=1, unique=True),
        "age": st.none() | st.integers(18, 95), "status": st.sampled_from(sorted(OBLIGOR_STATUS)),
        "disability": disability, "annual_income": money}), max_size=2))
    tagged = draw(st.booleans())
    return {
        "region": draw(st.sampled_from(REGIONS)), "residence": draw(st.sampled_from(["rural", "urban"])),
        "members": members, "obligors": obligors,
        "assets": {"deposits": draw(money), "urban_houses": draw(st.integers(0, 3)), "business_capital": draw(money),
                   "vehicles": draw(st.lists(st.fixed_dictionaries({
                       "kind": st.sampled_from(sorted(VEHICLE_KINDS)), "value": money}), max_size=2))},
        "rigid_expenses": {"medical": draw(money), "education": draw(money), "disability": draw(money)},
        "living": {"housing_grade": draw(st.sampled_from("ABCD")), "water_safe": draw(st.booleans())},
        "monitoring": {"object": tagged,
                       "kind": draw(st.sampled_from(sorted(MONITORING_KINDS))) if tagged else None},
    }


COMPARED = ("status", "categories", "tags", "tekun_members", "monitoring_candidate", "risks", "figures", "benefits")


def one_by_one(data: dict[str, Any]) -> dict[str, Any]:
    try:
        result = assess(data, ON, params=PARAMS)
    except NotAssessable:
        return {"status": "error"}
    return {key: result[key] for key in COMPARED}


def in_batch(assessed: Any, row: int) -> dict[str, Any]:
    if assessed.households.item(row, "status") != "ok":
        return {"status": "error"}
    result = assessed.explain(row)
    return {key: result[key] for key in COMPARED}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(households(), min_size=1, max_size=6), st.randoms())
def test_households_assessed_one_by_one_equal_the_same_households_screened_as_a_batch(
        batch: list[dict[str, Any]], random: Any) -> None:
    # given: the documents under arbitrary, unordered keys
    documents = [parse_household_document(data) for data in batch]
    keys = random.sample(range(10_000), len(documents))
    # when
    assessed = assess_frame(roster_from_documents(documents, keys), ON, PARAMS)
    # then: row i of the batch is household i, and equals its own assessment
    assert assessed.households.get_column("hh_key").to_list() == keys
    for row, data in enumerate(batch):
        assert in_batch(assessed, row) == one_by_one(data)


def test_money_in_the_roster_is_exact_fen() -> None:
    document = parse_household_document({
        "region": REGIONS[0], "residence": "rural",
        "members": [{"name": "甲", "relation": "self", "id_number": make_id_number("220821", dt.date(1980, 1, 1), 1),
                     "income": {"wages": Decimal("1234.56"), "business": 0.1}}]})
    members = roster_from_documents([document]).members
    assert members.select("wages_fen", "business_fen").row(0) == (123456, 10)
