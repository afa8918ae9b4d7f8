"""Plain rows of the synthetic county: what the generator returns and the loader writes.

No Django here, so the generator can be tested (and repeated) without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Place:
    """A grid households can live on, with what the generator needs to know about it."""

    grid: str
    village: str
    township_name: str
    village_name: str
    urban: bool
    mongol: bool = False
    weight: float = 1.0


@dataclass
class PersonRow:
    name: str
    id_number: str
    birth_date: date
    sex: str
    relation: str
    age: int
    co_resident: bool = True
    excluded: str = ""
    schooling: str = "none"
    disability_kind: str = ""
    disability_grade: int | None = None
    labor: str = "full"
    illness: str = "none"
    employment: str = "none"
    self_care_failed: int = 0
    medical_insured: bool = True
    income_wages: int = 0
    income_business: int = 0
    income_property: int = 0
    income_transfer: int = 0
    income_excluded: int = 0

    @property
    def income(self) -> int:
        return self.income_wages + self.income_business + self.income_property + self.income_transfer


@dataclass
class ObligorRow:
    name: str
    supports: list[str]
    age: int
    status: str = "normal"
    annual_income: int = 0


@dataclass
class HouseholdRow:
    code: str
    region: str
    residence: str
    address: str
    members: list[PersonRow]
    deposits: int = 0
    urban_houses: int = 0
    business_capital: int = 0
    rigid_medical: int = 0
    rigid_education: int = 0
    rigid_disability: int = 0
    housing_grade: str = "A"
    water_safe: bool = True
    monitoring_object: bool = False
    monitoring_kind: str = ""
    vehicles: list[tuple[str, int]] = field(default_factory=list)
    obligors: list[ObligorRow] = field(default_factory=list)

    @property
    def head(self) -> PersonRow:
        return next(m for m in self.members if m.relation == "self")

    def counted(self) -> list[PersonRow]:
        """Members the rules count (co-resident, or a child in full-time study), as DOMAIN.md §2 says."""
        studying = {"senior", "vocational", "college"}
        return [m for m in self.members if not m.excluded
                and (m.co_resident or (m.relation == "child" and m.schooling in studying))]

    def per_capita_income(self) -> float:
        counted = self.counted()
        return sum(m.income for m in counted) / len(counted) if counted else 0.0
