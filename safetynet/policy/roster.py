"""The roster: what the rules engine reads, as three polars frames (households, members, obligor supports).

Money is integer fen (Int64), converted exactly from the documents' Decimal yuan, so that every engine
(polars here, Spark for a national roster) compares thresholds on the same integers. Keys are integers:
`hh_key` identifies a household, `member_no` is a member's 0-based position in its household.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from safetynet.core.document import HouseholdDocument, MemberDoc

HOUSEHOLDS_SCHEMA: dict[str, pl.DataType] = {
    "hh_key": pl.Int64(), "region": pl.Utf8(), "residence": pl.Utf8(), "deposits_fen": pl.Int64(),
    "vehicle_max_fen": pl.Int64(), "urban_houses": pl.Int32(), "business_capital_fen": pl.Int64(),
    "rigid_medical_fen": pl.Int64(), "rigid_education_fen": pl.Int64(), "rigid_disability_fen": pl.Int64(),
    "housing_grade": pl.Utf8(), "water_safe": pl.Boolean(), "monitoring_object": pl.Boolean(),
    "monitoring_kind": pl.Utf8(),
}
MEMBERS_SCHEMA: dict[str, pl.DataType] = {
    "hh_key": pl.Int64(), "member_no": pl.Int32(), "id_number": pl.Utf8(), "name": pl.Utf8(),
    "birth_date": pl.Date(), "relation": pl.Utf8(), "co_resident": pl.Boolean(), "excluded": pl.Utf8(),
    "schooling": pl.Utf8(), "disability_kind": pl.Utf8(), "disability_grade": pl.Int8(), "labor": pl.Utf8(),
    "illness": pl.Utf8(), "employment": pl.Utf8(), "self_care_failed": pl.Int8(), "medical_insured": pl.Boolean(),
    "wages_fen": pl.Int64(), "business_fen": pl.Int64(), "property_fen": pl.Int64(), "transfer_fen": pl.Int64(),
}
OBLIGOR_SUPPORTS_SCHEMA: dict[str, pl.DataType] = {
    "hh_key": pl.Int64(), "obligor_no": pl.Int32(), "member_no": pl.Int32(), "age": pl.Int32(),
    "status": pl.Utf8(), "disability_kind": pl.Utf8(), "disability_grade": pl.Int8(),
    "annual_income_fen": pl.Int64(),
}
ROSTER_SCHEMA: dict[str, dict[str, pl.DataType]] = {
    "households": HOUSEHOLDS_SCHEMA, "members": MEMBERS_SCHEMA, "obligor_supports": OBLIGOR_SUPPORTS_SCHEMA,
}


@dataclass
class Roster:
    households: pl.DataFrame
    members: pl.DataFrame
    obligor_supports: pl.DataFrame

    def cast(self) -> Roster:
        """The same roster with exactly ROSTER_SCHEMA's columns and types (loaders call this)."""
        return Roster(*(_conform(getattr(self, table), schema) for table, schema in ROSTER_SCHEMA.items()))

    def __len__(self) -> int:
        return self.households.height


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        raise ValueError(f"名册缺少列：{'、'.join(missing)}")
    return frame.select(pl.col(column).cast(dtype) for column, dtype in schema.items())


def fen(amount: Decimal | int) -> int:
    """Yuan to integer fen, exactly; a fraction of a fen is refused rather than rounded."""
    cents = Decimal(amount) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"金额 {amount} 元不是整分，请核对（最多保留两位小数）")
    return int(cents)


def _vehicle_max_fen(document: HouseholdDocument) -> int:
    """Highest car/truck value: farm, disability and motorcycle vehicles are exempt from the property test."""
    return max((fen(v.value) for v in document.assets.vehicles if v.kind in ("car", "truck")), default=0)


def _household_row(key: int, d: HouseholdDocument) -> dict[str, object]:
    return {
        "hh_key": key, "region": d.region, "residence": d.residence, "deposits_fen": fen(d.assets.deposits),
        "vehicle_max_fen": _vehicle_max_fen(d), "urban_houses": d.assets.urban_houses,
        "business_capital_fen": fen(d.assets.business_capital),
        "rigid_medical_fen": fen(d.rigid_expenses.medical), "rigid_education_fen": fen(d.rigid_expenses.education),
        "rigid_disability_fen": fen(d.rigid_expenses.disability), "housing_grade": d.living.housing_grade,
        "water_safe": d.living.water_safe, "monitoring_object": d.monitoring.object,
        "monitoring_kind": d.monitoring.kind,
    }


def _member_row(key: int, no: int, m: MemberDoc) -> dict[str, object]:
    return {
        "hh_key": key, "member_no": no, "id_number": m.id_number, "name": m.name, "birth_date": m.birth_date,
        "relation": m.relation, "co_resident": m.co_resident, "excluded": m.excluded, "schooling": m.schooling,
        "disability_kind": m.disability.kind if m.disability else None,
        "disability_grade": m.disability.grade if m.disability else None, "labor": m.labor,
        "illness": m.illness, "employment": m.employment, "self_care_failed": m.self_care_failed,
        "medical_insured": m.medical_insured, "wages_fen": fen(m.income.wages),
        "business_fen": fen(m.income.business), "property_fen": fen(m.income.property),
        "transfer_fen": fen(m.income.transfer),
    }


def _support_rows(key: int, d: HouseholdDocument) -> list[dict[str, object]]:
    """One row per obligor × supported member (obligors name the members they support)."""
    return [
        {"hh_key": key, "obligor_no": i, "member_no": no, "age": o.age, "status": o.status,
         "disability_kind": o.disability.kind if o.disability else None,
         "disability_grade": o.disability.grade if o.disability else None,
         "annual_income_fen": fen(o.annual_income)}
        for i, o in enumerate(d.obligors)
        for no, m in enumerate(d.members) if m.name in o.supports
    ]


def roster_from_documents(documents: Sequence[HouseholdDocument], keys: Sequence[int] | None = None) -> Roster:
    """The roster of `documents` (keys default to 0..n-1): data conversion only, no rule is applied here."""
    keys = list(range(len(documents))) if keys is None else list(keys)
    if len(keys) != len(documents):
        raise ValueError("keys 与 documents 数量不一致")
    return Roster(
        households=pl.DataFrame([_household_row(k, d) for k, d in zip(keys, documents)], schema=HOUSEHOLDS_SCHEMA),
        members=pl.DataFrame([_member_row(k, no, m) for k, d in zip(keys, documents)
                              for no, m in enumerate(d.members)], schema=MEMBERS_SCHEMA),
        obligor_supports=pl.DataFrame([row for k, d in zip(keys, documents) for row in _support_rows(k, d)],
                                      schema=OBLIGOR_SUPPORTS_SCHEMA),
    )
