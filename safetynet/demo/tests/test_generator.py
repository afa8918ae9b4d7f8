"""The generator alone: plain rows, no database."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.core.idnumber import parse_id_number
from safetynet.demo.generator import DEMO_GRID, DEMO_HEAD, generate_county, places_from_regions
from safetynet.regions.datafile import read_region_file

AS_OF = date(2026, 6, 30)
SCHOOL_AGES = {"preschool": (3, 5), "primary": (6, 11), "junior": (12, 15), "senior": (15, 17),
               "vocational": (16, 22), "college": (18, 22)}


@pytest.fixture(scope="module")
def places():
    return places_from_regions((r.code, r.name, r.level, r.parent, r.urban) for r in read_region_file())


@pytest.fixture(scope="module")
def county(places):
    return generate_county(places, households=2_000, seed=7, as_of=AS_OF)


def test_same_seed_gives_the_same_people(places, county):
    # when
    again = generate_county(places, households=2_000, seed=7, as_of=AS_OF)
    other = generate_county(places, households=2_000, seed=8, as_of=AS_OF)
    # then
    ids = [m.id_number for h in county for m in h.members]
    assert ids == [m.id_number for h in again for m in h.members]
    assert [h.code for h in county] == [h.code for h in again]
    assert ids != [m.id_number for h in other for m in h.members]


def test_id_numbers_are_valid_unique_and_match_birth_and_sex(county):
    # given
    people = [m for h in county for m in h.members]
    # then
    assert len({m.id_number for m in people}) == len(people)
    for m in people:
        info = parse_id_number(m.id_number, today=AS_OF)
        assert (info.birth_date, info.sex) == (m.birth_date, m.sex)
    born_elsewhere = sum(not m.id_number.startswith("220821") for m in people)
    assert 0 < born_elsewhere < len(people) * 0.15


def test_households_hold_one_to_six_people_with_one_head(county):
    for h in county:
        assert 1 <= len(h.members) <= 6
        assert [m.relation for m in h.members].count("self") == 1
        assert len({m.name for m in h.members}) == len(h.members)


def test_relations_fit_the_ages(county):
    for h in county:
        head = h.head
        for m in h.members:
            if m.relation == "child":
                assert head.age - m.age >= 15, (h.code, head.age, m.age)
            elif m.relation == "parent":
                assert m.age - head.age >= 15
            elif m.relation == "grandchild":
                assert head.age - m.age >= 35


def test_schooling_matches_age(county):
    for m in (m for h in county for m in h.members):
        if m.schooling != "none":
            low, high = SCHOOL_AGES[m.schooling]
            assert low <= m.age <= high, (m.schooling, m.age)
        if m.age < 16:
            assert m.employment == "none" and m.labor == "none"


def test_households_have_codes_under_their_village_and_sit_on_grids(county):
    codes = [h.code for h in county]
    assert len(set(codes)) == len(codes)
    assert all(len(h.region) == 15 and h.code[:12] == h.region[:12] and len(h.code) == 16 for h in county)


def test_urban_households_live_in_communities(county, places):
    urban_grids = {p.grid for p in places if p.urban}
    assert all((h.residence == "urban") == (h.region in urban_grids) for h in county)
    assert 0.1 < sum(h.residence == "urban" for h in county) / len(county) < 0.5


def test_demo_grid_worker_finds_wang_jianguo(county):
    first = county[0]
    assert first.region == DEMO_GRID and first.head.name == DEMO_HEAD
    assert sum(h.region == DEMO_GRID for h in county) >= 10


def test_county_looks_like_an_ageing_rural_county(county):
    # given
    people = [m for h in county for m in h.members]
    rural = [h for h in county if h.residence == "rural"]
    # then
    assert 2.5 < len(people) / len(county) < 3.3
    assert 0.18 < sum(m.age >= 60 for m in people) / len(people) < 0.35
    assert 0.04 < sum(bool(m.disability_kind) for m in people) / len(people) < 0.08
    assert 0.02 < sum(h.monitoring_object for h in rural) / len(rural) < 0.07
    below = sum(h.per_capita_income() < 5_520 for h in rural) / len(rural)
    assert 0.08 < below < 0.3  # a few thousand of 20,000 households at full size
    assert all(h.monitoring_kind for h in county if h.monitoring_object)
    assert all(o.supports and set(o.supports) <= {m.name for m in h.members} for h in county for o in h.obligors)
