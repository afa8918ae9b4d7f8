"""The synthetic county as plain rows: deterministic for a given seed and date, no database.

`generate_county(places, households=..., seed=..., as_of=...)` returns HouseholdRow objects; the
loader (demo.services) writes them. Same inputs, same rows: ID numbers included.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from safetynet.demo import economy, names
from safetynet.demo.people import TEMPLATES, IdNumbers, Slot, compose, person
from safetynet.demo.rows import HouseholdRow, PersonRow, Place

COUNTY_SEAT = "220821100"  # 镇赉镇: the county seat, where most urban households live
DEMO_GRID = "220821101200001"  # 坦途镇坦途村第一网格: the demo grid worker's grid
DEMO_HEAD = "王建国"  # the browser test searches for him by initials (wjg)
DEMO_GRID_HOUSEHOLDS = 10
GROUPS = "一二三四五六七八"
STREETS = ["嫩江西路", "长青路", "建设街", "向阳街", "民主路", "站前路", "文化路", "幸福街", "鹤城路", "工农街"]


def places_from_regions(regions: Iterable[tuple[str, str, str, str | None, bool]]) -> list[Place]:
    """Grids to live on, from (code, name, level, parent code, urban) rows of the region tree.

    Weights spread households as the county's people are spread: the county seat's communities are
    the most crowded, farms (乡级代码 4xx) the least.
    """
    by_code = {code: (name, level, parent, urban) for code, name, level, parent, urban in regions}
    grids = [code for code, (_, level, _, _) in by_code.items() if level == "grid"]
    per_village: dict[str, int] = {}
    for grid in grids:
        per_village[grid[:12]] = per_village.get(grid[:12], 0) + 1
    places = []
    for grid in sorted(grids):
        village, township = grid[:12], grid[:9]
        v_name, _, _, urban = by_code[village]
        t_name = by_code[township][0]
        weight = (3.2 if township == COUNTY_SEAT else 2.0) if urban else 0.5 if township[6] == "4" else 1.0
        places.append(Place(grid=grid, village=village, township_name=t_name, village_name=v_name, urban=urban,
                            mongol="蒙古族" in t_name, weight=weight / per_village[village]))
    return places


def generate_county(places: list[Place], *, households: int, seed: int, as_of: date) -> list[HouseholdRow]:
    """`households` households on `places`; the first few sit on the demo grid, the first headed by 王建国."""
    rng = random.Random(seed)
    ids = IdNumbers(rng)
    demo = [p for p in places if p.grid == DEMO_GRID]
    fixed = demo * min(DEMO_GRID_HOUSEHOLDS, households)
    picks = fixed + rng.choices(places, [p.weight for p in places], k=households - len(fixed))
    rows = []
    sequence: dict[str, int] = {}
    for index, place in enumerate(picks):
        row = household(rng, place, ids, as_of, demo_head=index == 0 and bool(demo))
        sequence[place.village] = sequence.get(place.village, 0) + 1
        row.code = f"{place.village}{sequence[place.village]:04d}"
        rows.append(row)
    return rows


def household(rng: random.Random, place: Place, ids: IdNumbers, as_of: date, *, demo_head: bool = False
              ) -> HouseholdRow:
    mongol = rng.random() < (0.45 if place.mongol else 0.03)
    if demo_head:
        slots, family = [Slot("self", 56, "M"), Slot("spouse", 54, "F"), Slot("child", 27, "M")], "王"
    else:
        kind = rng.choices([k for k, _ in TEMPLATES[place.urban]], [w for _, w in TEMPLATES[place.urban]])[0]
        slots, family = compose(rng, kind), names.surname(rng, mongol=mongol)
    members = [person(rng, s, family, ids, as_of, mongol=mongol, urban=place.urban) for s in slots]
    if demo_head:
        members[0].name = DEMO_HEAD
    _distinct_names(rng, members, mongol=mongol)
    row = HouseholdRow(code="", region=place.grid, residence="urban" if place.urban else "rural",
                       address=address(rng, place), members=members)
    fortune = economy.fortune_class(rng, members)
    economy.incomes(rng, row, fortune)
    economy.assets(rng, row, fortune)
    economy.spending(rng, row)
    economy.living(rng, row, fortune)
    economy.monitoring(rng, row, fortune)
    away = [names.full_name(rng, family, rng.choice("MF"), as_of.year - 35, mongol=mongol) for _ in range(3)]
    economy.obligors(rng, row, [n for n in dict.fromkeys(away) if n not in {m.name for m in members}])
    return row


def _distinct_names(rng: random.Random, members: list[PersonRow], *, mongol: bool) -> None:
    """Two members with one name would make 赡养 lists ambiguous: draw again for the later one."""
    seen: set[str] = set()
    for m in members:
        for _attempt in range(20):
            if m.name not in seen:
                break
            m.name = m.name[0] + names.given_name(rng, m.sex, m.birth_date.year, mongol=mongol)
        seen.add(m.name)


def address(rng: random.Random, place: Place) -> str:
    if place.urban:
        street = rng.choice(STREETS) if place.grid.startswith(COUNTY_SEAT) else place.village_name
        return (f"{place.township_name}{street}{rng.randint(1, 60)}号楼{rng.randint(1, 6)}单元"
                f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室")
    return f"{place.township_name}{place.village_name}{rng.choice(GROUPS)}组{rng.randint(1, 80)}号"
