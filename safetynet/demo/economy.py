"""Money and living conditions of a synthetic household: incomes by kind, assets, spending, housing.

Incomes are yuan per year (last 12 months). A household's fortune class scales what its members
earn, so a few thousand households fall under the 低保 line and others around the edge line, as in
a county where the 低保 standard is 5,520 yuan a year (rural) and 720 a month (urban).
"""

from __future__ import annotations

import random

from safetynet.demo.rows import HouseholdRow, ObligorRow, PersonRow

CLASSES = [("poor", 15), ("near", 14), ("ordinary", 59), ("well_off", 12)]
RURAL_BASIC_PENSION = 1_980  # 城乡居民基础养老金 base part: recorded under `excluded`, never counted


def _round(value: float, step: int = 10) -> int:
    return max(0, round(value / step) * step)


def fortune_class(rng: random.Random, members: list[PersonRow]) -> str:
    """Illness, severe disability and having nobody able to work make hardship likelier."""
    weights = dict(CLASSES)
    if any(m.illness == "serious" or (m.disability_grade or 9) <= 2 for m in members):
        weights["poor"] *= 3
        weights["near"] *= 2
    if not any(m.labor == "full" and 16 <= m.age < 60 for m in members):
        weights["poor"] *= 1.6
    return rng.choices(list(weights), list(weights.values()))[0]


def factor(rng: random.Random, fortune: str) -> float:
    if fortune == "poor":
        return rng.uniform(0.2, 0.65)
    if fortune == "near":
        return rng.uniform(0.65, 1.0)
    if fortune == "well_off":
        return rng.uniform(1.6, 3.2)
    return rng.lognormvariate(0.1, 0.25)


def incomes(rng: random.Random, h: HouseholdRow, fortune: str) -> None:
    """Wages, business (farming in the country), property (land rent) and transfers, per member."""
    f = factor(rng, fortune)
    urban = h.residence == "urban"
    land = 0.0 if urban else max(0.0, rng.gauss(45, 18)) * (0.5 if fortune == "poor" else 1.0)
    farmers = [m for m in h.members if m.employment == "farming"]
    for m in h.members:
        if urban and m.age >= 60 and m.employment == "none" and fortune != "poor" and rng.random() < 0.7:
            m.employment = "retired"
        _earned(rng, m, f, urban=urban)
        _pension(rng, m, urban=urban)
    for m in farmers:
        m.income_business += _round(land / len(farmers) * rng.uniform(450, 700) * f)
    if farmers and rng.random() < 0.25:
        farmers[0].income_business += _round(rng.uniform(3_000, 25_000) * f)  # cattle, sheep (牛羊养殖)
    if land and not farmers:
        h.head.income_property += _round(land * rng.uniform(380, 520) * min(f, 1.2))  # land let out (土地流转)
    if all(m.age >= 60 for m in h.members if m.relation in ("self", "spouse")) and rng.random() < 0.75:
        h.head.income_transfer += _round(rng.uniform(1_000, 8_000) * min(f, 1.5), 100)  # support from children away


def _earned(rng: random.Random, m: PersonRow, f: float, *, urban: bool) -> None:
    scale = 0.5 if m.labor == "partial" else 1.0
    if m.employment == "employed":
        m.income_wages = _round(rng.triangular(12_000, 70_000, 34_000 if urban else 30_000) * f * scale)
    elif m.employment == "self_employed":
        m.income_business = _round(rng.lognormvariate(10.5, 0.45) * f * scale)
    elif m.employment == "unemployed" and urban and rng.random() < 0.3:
        m.income_transfer = _round(rng.uniform(6_000, 12_000))  # unemployment insurance
    if m.employment in ("employed", "self_employed") and rng.random() < 0.05:
        m.income_property = _round(rng.uniform(500, 12_000) * f)  # rent of a flat or shop


def _pension(rng: random.Random, m: PersonRow, *, urban: bool) -> None:
    if m.employment == "retired":
        m.income_transfer += _round(rng.uniform(24_000, 46_000))  # 职工养老金
    elif m.age >= 60:
        m.income_excluded += RURAL_BASIC_PENSION
        m.income_transfer += _round(rng.uniform(300, 1_200))  # individual-account part of 城乡居民养老金
    if (m.disability_grade or 9) <= 2:
        m.income_excluded += 1_200  # 重度残疾人护理补贴


def assets(rng: random.Random, h: HouseholdRow, fortune: str) -> None:
    urban = h.residence == "urban"
    h.deposits = {
        "poor": _round(rng.uniform(0, 6_000) if rng.random() < 0.7 else 0, 100),
        "near": _round(rng.uniform(2_000, 25_000), 100),
        "ordinary": _round(rng.lognormvariate(10.2, 0.9), 100),
        "well_off": _round(rng.uniform(80_000, 500_000), 1_000),
    }[fortune]
    h.vehicles = _vehicles(rng, h, fortune)
    if urban:
        h.urban_houses = 0 if rng.random() < (0.3 if fortune == "poor" else 0.08) else 1
        h.urban_houses += 1 if fortune == "well_off" and rng.random() < 0.3 else 0
    elif rng.random() < {"poor": 0.0, "near": 0.02, "ordinary": 0.06, "well_off": 0.3}[fortune]:
        h.urban_houses = 1  # a flat bought in the county seat
    if any(m.employment == "self_employed" for m in h.members) and fortune != "poor" and rng.random() < 0.3:
        h.business_capital = _round(rng.uniform(10_000, 500_000), 1_000)


def _vehicles(rng: random.Random, h: HouseholdRow, fortune: str) -> list[tuple[str, int]]:
    car = {"poor": 0.01, "near": 0.06, "ordinary": 0.22, "well_off": 0.75}[fortune]
    vehicles = []
    if rng.random() < car:
        vehicles.append(("car", _round(rng.uniform(25_000, 90_000 if fortune != "well_off" else 260_000), 1_000)))
    if h.residence == "rural":
        if fortune in ("ordinary", "well_off") and rng.random() < 0.05:
            vehicles.append(("truck", _round(rng.uniform(30_000, 150_000), 1_000)))
        if any(m.employment == "farming" for m in h.members) and rng.random() < 0.45:
            vehicles.append(("farm", _round(rng.uniform(5_000, 90_000), 1_000)))
        if rng.random() < 0.28:
            vehicles.append(("motorcycle", _round(rng.uniform(1_500, 8_000), 100)))
    if any(m.disability_kind == "physical" and (m.disability_grade or 9) <= 3 for m in h.members) \
            and rng.random() < 0.15:
        vehicles.append(("disability", _round(rng.uniform(3_000, 15_000), 100)))
    return vehicles


def spending(rng: random.Random, h: HouseholdRow) -> None:
    """Rigid spending of the last 12 months: medical (self-paid), education, disability care."""
    for m in h.members:
        if m.illness == "chronic":
            h.rigid_medical += _round(rng.uniform(800, 7_000))
        elif m.illness == "serious":
            h.rigid_medical += _round(rng.uniform(8_000, 90_000), 100)
        h.rigid_education += {"primary": _round(rng.uniform(300, 1_500)), "junior": _round(rng.uniform(600, 2_500)),
                              "senior": _round(rng.uniform(2_000, 6_000)),
                              "vocational": _round(rng.uniform(3_000, 8_000)),
                              "college": _round(rng.uniform(8_000, 20_000))}.get(m.schooling, 0)
        if (m.disability_grade or 9) <= 2:
            h.rigid_disability += _round(rng.uniform(2_000, 15_000))
        elif m.disability_grade and rng.random() < 0.5:
            h.rigid_disability += _round(rng.uniform(200, 3_000))


def living(rng: random.Random, h: HouseholdRow, fortune: str) -> None:
    if h.residence == "urban":
        h.housing_grade = rng.choices("ABC", [80, 19, 1])[0]
        return
    bad = (10, 2) if fortune == "poor" else (4, 1) if fortune == "near" else (2, 0.3)
    h.housing_grade = rng.choices("ABCD", [50, 48 - sum(bad), *bad])[0]
    h.water_safe = rng.random() > (0.06 if fortune == "poor" else 0.02)


def monitoring(rng: random.Random, h: HouseholdRow, fortune: str) -> None:
    """防止返贫监测对象: marked by rural affairs, ~4 % of rural households, mostly the poorer ones."""
    if h.residence != "rural":
        return
    if rng.random() < {"poor": 0.16, "near": 0.08, "ordinary": 0.008, "well_off": 0.0}[fortune]:
        h.monitoring_object = True
        sudden = 0.5 if any(m.illness == "serious" for m in h.members) else 0.12
        r = rng.random()
        h.monitoring_kind = "sudden" if r < sudden else "unstable" if r < sudden + (1 - sudden) / 2 else "marginal"


def obligors(rng: random.Random, h: HouseholdRow, family_names: list[str]) -> None:
    """Children living elsewhere who owe the elderly support (赡养义务人), for some elderly households."""
    elders = [m for m in h.members if m.relation in ("self", "spouse") and m.age >= 60]
    if not elders or any(m.relation == "child" for m in h.members) or rng.random() > 0.45:
        return
    youngest_parent = min(m.age for m in elders)
    for name in family_names[:rng.choice([1, 1, 2, 3])]:
        age = max(25, youngest_parent - rng.randint(22, 34))
        status = rng.choices(["normal", "dibao", "no_capacity", "prison", "missing"], [86, 6, 5, 2, 1])[0]
        income = _round(rng.uniform(8_000, 60_000), 100) if status == "normal" else _round(rng.uniform(0, 6_000), 100)
        h.obligors.append(ObligorRow(name=name, supports=[m.name for m in elders], age=age, status=status,
                                     annual_income=income))
