"""Who lives in a synthetic household: composition, ages, names, ID numbers, health, school and work.

Shapes follow an ageing rural county in Jilin: many elderly couples and elderly people alone,
children away at work or school, grandparents raising grandchildren.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from safetynet.core.idnumber import make_id_number
from safetynet.demo import names
from safetynet.demo.rows import PersonRow

COUNTY_AREA = "220821"
# Other Jilin areas people were born in: 洮北区, 洮南市, 大安市, 通榆县, 前郭县, 宁江区, 长春朝阳区, 德惠市.
OTHER_AREAS = ["220802", "220881", "220882", "220822", "220721", "220702", "220104", "220183"]

# (kind, weight) for rural and urban households.
TEMPLATES = {
    False: [("elder_single", 10), ("elder_couple", 18), ("empty_nest", 11), ("couple_kids", 28),
            ("three_gen", 13), ("with_parent", 10), ("skipped_gen", 4), ("single_adult", 4), ("single_parent", 3)],
    True: [("elder_single", 8), ("elder_couple", 17), ("empty_nest", 13), ("couple_kids", 33),
           ("three_gen", 8), ("with_parent", 8), ("skipped_gen", 2), ("single_adult", 7), ("single_parent", 5)],
}
DISABILITY_KINDS = {"physical": 45, "hearing": 17, "visual": 12, "mental": 9, "intellectual": 7, "multiple": 7,
                    "speech": 3}
DISABILITY_GRADES = {1: 10, 2: 25, 3: 30, 4: 35}


@dataclass
class Slot:
    """A member before names and numbers: relation, age, sex."""

    relation: str
    age: int
    sex: str


def _other(sex: str) -> str:
    return "F" if sex == "M" else "M"


def _kids(rng: random.Random, parent_age: int, count: int, relation: str = "child") -> list[Slot]:
    oldest = max(0, parent_age - rng.randint(22, 34))
    ages = [oldest - i * rng.randint(2, 6) for i in range(count)]
    return [Slot(relation, age, rng.choice("MF")) for age in ages if age >= 0]


def compose(rng: random.Random, kind: str) -> list[Slot]:
    """The members of one household of `kind`, head first; ages and relations fit together."""
    if kind == "elder_single":
        return [Slot("self", rng.randint(62, 92), "F" if rng.random() < 0.6 else "M")]
    if kind == "single_adult":
        return [Slot("self", rng.randint(24, 59), "M" if rng.random() < 0.7 else "F")]
    head_sex = "M" if rng.random() < 0.85 else "F"
    if kind == "single_parent":
        head = Slot("self", rng.randint(30, 50), "F" if rng.random() < 0.75 else "M")
        return [head, *_kids(rng, head.age, rng.choice([1, 1, 2]))]
    if kind == "skipped_gen":
        head = Slot("self", rng.randint(60, 78), head_sex)
        grand = [Slot("grandchild", rng.randint(3, 16), rng.choice("MF")) for _ in range(rng.choice([1, 1, 2]))]
        spouse = [Slot("spouse", head.age + rng.randint(-4, 2), _other(head_sex))] if rng.random() < 0.7 else []
        return [head, *spouse, *grand]
    ages = {"elder_couple": (60, 86), "empty_nest": (45, 62), "couple_kids": (27, 52), "three_gen": (50, 68),
            "with_parent": (32, 55)}[kind]
    head = Slot("self", rng.randint(*ages), head_sex)
    spouse = Slot("spouse", max(20, head.age + rng.randint(-5, 2) * (1 if head_sex == "M" else -1)),
                  _other(head_sex))
    members = [head, spouse]
    if kind == "couple_kids":
        members += _kids(rng, min(head.age, spouse.age), rng.choice([1, 1, 2, 2, 2]))
    elif kind == "three_gen":
        child = _kids(rng, min(head.age, spouse.age), 1)[0]
        child.age = max(child.age, 21)
        in_law = Slot("other", max(20, child.age + rng.randint(-3, 3)), _other(child.sex))
        members += [child, in_law, *_kids(rng, min(child.age, in_law.age), rng.choice([1, 2, 2]), "grandchild")]
    elif kind == "with_parent":
        members += _kids(rng, min(head.age, spouse.age), rng.choice([0, 1, 1, 2]))
        parent_age = min(96, head.age + rng.randint(22, 32))
        members.append(Slot("parent", parent_age, rng.choice("MF")))
        if len(members) < 6 and rng.random() < 0.5:
            members.append(Slot("parent", min(96, parent_age + rng.randint(-4, 4)), _other(members[-1].sex)))
    return [m for m in members if m.age >= 0][:6]


class IdNumbers:
    """Unique, valid ID numbers: one serial counter per (area, birth date, sex)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, date, str], int] = {}

    def make(self, birth: date, sex: str, *, native: bool = True) -> str:
        area = COUNTY_AREA if native else self.rng.choice(OTHER_AREAS)
        key = (area, birth, sex)
        if key not in self.next:
            self.next[key] = self.rng.randint(0, 150)
        k = self.next[key]
        self.next[key] = k + 1
        return make_id_number(area, birth, 2 * k + (1 if sex == "M" else 0))


def birth_date(rng: random.Random, age: int, as_of: date) -> date:
    """A birth date that makes the person `age` full years old on `as_of`."""
    latest = date(as_of.year - age, as_of.month, min(as_of.day, 28))
    return latest - timedelta(days=rng.randint(1, 360))


def person(rng: random.Random, slot: Slot, family: str, ids: IdNumbers, as_of: date, *,
           mongol: bool, urban: bool) -> PersonRow:
    born = birth_date(rng, slot.age, as_of)
    own_family = family if slot.relation in ("self", "child", "grandchild") else names.surname(rng, mongol=mongol)
    name = names.full_name(rng, own_family, slot.sex, born.year, mongol=mongol)
    native = rng.random() > (0.12 if slot.relation in ("spouse", "other") else 0.03)
    row = PersonRow(name=name, id_number=ids.make(born, slot.sex, native=native), birth_date=born,
                    sex=slot.sex, relation=slot.relation, age=slot.age)
    health(rng, row)
    school(rng, row)
    work(rng, row, urban=urban)
    row.medical_insured = rng.random() < 0.975
    return row


def health(rng: random.Random, p: PersonRow) -> None:
    """Disability (~6 %), chronic and serious illness, labour capacity and self-care, rising with age."""
    disabled = rng.random() < (0.015 if p.age < 18 else 0.045 if p.age < 60 else 0.09 if p.age < 75 else 0.14)
    if disabled:
        p.disability_kind = rng.choices(list(DISABILITY_KINDS), list(DISABILITY_KINDS.values()))[0]
        p.disability_grade = rng.choices(list(DISABILITY_GRADES), list(DISABILITY_GRADES.values()))[0]
    chronic = 0.01 if p.age < 18 else 0.04 if p.age < 45 else 0.14 if p.age < 60 else 0.35
    serious = 0.004 if p.age < 45 else 0.02 if p.age < 60 else 0.035
    draw = rng.random()
    p.illness = "serious" if draw < serious else "chronic" if draw < serious + chronic else "none"
    p.labor = _labor(rng, p)
    p.self_care_failed = _self_care(rng, p)


def _severe(p: PersonRow) -> bool:
    grade = p.disability_grade or 9
    return grade <= 2 or (p.disability_kind in ("intellectual", "mental") and grade <= 3)


def _labor(rng: random.Random, p: PersonRow) -> str:
    if p.age < 16 or p.age >= 75 or _severe(p):
        return "none"
    if p.illness == "serious":
        return "none" if rng.random() < 0.6 else "partial"
    if p.disability_grade == 3 or p.age >= 65 or (p.illness == "chronic" and rng.random() < 0.3):
        return "partial"
    return "full"


def _self_care(rng: random.Random, p: PersonRow) -> int:
    failed = 0
    if p.age >= 80 and rng.random() < 0.35 or p.age >= 70 and rng.random() < 0.08:
        failed = rng.randint(1, 6)
    if p.disability_grade == 1:
        failed = max(failed, rng.randint(2, 6))
    elif p.disability_grade == 2 and rng.random() < 0.5:
        failed = max(failed, rng.randint(1, 4))
    if p.illness == "serious" and rng.random() < 0.3:
        failed = max(failed, rng.randint(1, 3))
    return failed


def school(rng: random.Random, p: PersonRow) -> None:
    """Full-time study matching age; college students live away (counted as 成年在校子女)."""
    a, r = p.age, rng.random()
    if 3 <= a <= 5:
        p.schooling = "preschool" if r < 0.85 else "none"
    elif 6 <= a <= 15:
        p.schooling = "primary" if a <= 11 else "junior" if a <= 14 else ("junior" if r < 0.4 else "senior")
        if rng.random() < 0.003 or (p.disability_grade == 1 and p.disability_kind == "intellectual"):
            p.schooling = "none"
    elif 16 <= a <= 17:
        p.schooling = "senior" if r < 0.65 else "vocational" if r < 0.9 else "none"
    elif 18 <= a <= 22:
        p.schooling = "college" if r < (0.35 if a <= 21 else 0.15) else "vocational" if r < 0.42 else "none"
    if p.schooling == "college" and p.relation in ("child", "grandchild") and rng.random() < 0.7:
        p.co_resident = False


def work(rng: random.Random, p: PersonRow, *, urban: bool) -> None:
    if p.schooling != "none" or p.age < 16 or p.labor == "none":
        p.employment = "retired" if urban and p.age >= 60 and rng.random() < 0.5 else "none"
        return
    r = rng.random()
    if p.age >= 60:
        p.employment = ("retired" if r < 0.55 else "none") if urban else ("farming" if r < 0.6 else "none")
    elif urban:
        p.employment = ("employed" if r < 0.6 else "self_employed" if r < 0.72 else "unemployed" if r < 0.82
                        else "retired" if p.age >= 50 and r < 0.92 else "none")
    else:
        p.employment = ("farming" if r < 0.45 else "employed" if r < 0.78 else "self_employed" if r < 0.84
                        else "unemployed" if r < 0.9 else "none")
    if p.sex == "M" and 20 <= p.age <= 50 and rng.random() < 0.001:
        p.excluded, p.co_resident, p.employment = "prison", False, "none"
