"""The one synthetic roster behind every screening figure: N households as ROSTER_SCHEMA Parquet.

Deterministic (numpy, seeded) and vectorised: no Python loop over households, so 1M households take
seconds. The shapes follow the demo county (safetynet/demo): an ageing rural county in Jilin, with
household templates, health and work by age, a fortune class per household that scales incomes and
assets, rigid spending from illness, school and disability, and supporters living elsewhere for
elderly households without children. Every category occurs; a few households sit exactly on the
2025 thresholds of the reference parameters, so engines that round differently disagree.

`python -m bench.roster N [DIR]` writes households.parquet, members.parquet, obligor_supports.parquet.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from safetynet.policy.roster import ROSTER_SCHEMA

GENERATOR_VERSION = 2
SEED = 20250801
AS_OF = date(2025, 8, 1)
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench-roster"
FILES = {"households": "households.parquet", "members": "members.parquet",
         "obligor_supports": "obligor_supports.parquet"}

RELATIONS = ["self", "spouse", "child", "parent", "grandchild", "other"]
SELF, SPOUSE, CHILD, PARENT, GRANDCHILD, OTHER = range(6)
TEMPLATES = ["elder_single", "elder_couple", "empty_nest", "couple_kids", "three_gen", "with_parent",
             "skipped_gen", "single_adult", "single_parent"]
TEMPLATE_WEIGHTS = {False: [10, 18, 11, 28, 13, 10, 4, 4, 3], True: [8, 17, 13, 33, 8, 8, 2, 7, 5]}
URBAN_SHARE = 0.3
SLOTS = 6
DISABILITY_KINDS = ["physical", "hearing", "visual", "mental", "intellectual", "multiple", "speech"]
DISABILITY_KIND_WEIGHTS = [45, 17, 12, 9, 7, 7, 3]
SCHOOLING = ["none", "preschool", "primary", "junior", "senior", "vocational", "college"]
EMPLOYMENT = ["none", "employed", "farming", "self_employed", "unemployed", "retired"]
LABOR = ["full", "partial", "none"]
ILLNESS = ["none", "chronic", "serious"]
POOR, NEAR, ORDINARY, WELL_OFF = range(4)
# 2025 reference standards (元/人·月) in fen, for the households placed exactly on a threshold.
STANDARD_FEN = {False: 46_000, True: 72_000}
AREAS = ["220821", "220802", "220881", "220882", "220822", "220721", "220702", "220104", "220183", "220105",
         "220106", "220112", "220113", "220122", "220182", "220203", "220204", "220211", "220221", "220281"]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉建国志春海波宇浩凤洁")
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


@dataclass
class Frames:
    households: pl.DataFrame
    members: pl.DataFrame
    obligor_supports: pl.DataFrame


def _u(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    return rng.uniform(low, high, n)


def _ri(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Integers in [low, high], both ends included (as random.randint)."""
    return rng.integers(low, high + 1, n)


def _pick(rng: np.random.Generator, weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _yuan(values: np.ndarray, step: int = 10) -> np.ndarray:
    """Yuan rounded to `step`, as integer fen."""
    return (np.maximum(0, np.round(values / step)) * step * 100).astype(np.int64)


# --- composition -----------------------------------------------------------------------------------


def _kids(rng: np.random.Generator, rel: np.ndarray, age: np.ndarray, rows: np.ndarray, parent_age: np.ndarray,
          counts: np.ndarray, first_slot: int, relation: int = CHILD) -> None:
    oldest = np.maximum(0, parent_age - _ri(rng, 22, 34, len(rows)))
    for i in range(int(counts.max(initial=0))):
        slot = first_slot + i
        if slot >= SLOTS:
            break
        kid_age = oldest - i * _ri(rng, 2, 6, len(rows))
        ok = (i < counts) & (kid_age >= 0)
        rel[rows[ok], slot] = relation
        age[rows[ok], slot] = kid_age[ok]


def _couple(rng: np.random.Generator, rel: np.ndarray, age: np.ndarray, rows: np.ndarray, low: int, high: int
            ) -> np.ndarray:
    head = _ri(rng, low, high, len(rows))
    rel[rows, 0], age[rows, 0] = SELF, head
    rel[rows, 1], age[rows, 1] = SPOUSE, np.maximum(20, head + _ri(rng, -5, 2, len(rows)))
    return np.minimum(age[rows, 0], age[rows, 1])


def _compose(rng: np.random.Generator, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(relation, age) slot matrices, N × 6, relation -1 where the slot is empty."""
    n = len(kind)
    rel = np.full((n, SLOTS), -1, dtype=np.int8)
    age = np.zeros((n, SLOTS), dtype=np.int16)
    rows = {t: np.flatnonzero(kind == i) for i, t in enumerate(TEMPLATES)}
    for t, low, high in (("elder_single", 62, 92), ("single_adult", 24, 59)):
        rel[rows[t], 0], age[rows[t], 0] = SELF, _ri(rng, low, high, len(rows[t]))
    r = rows["single_parent"]
    rel[r, 0], age[r, 0] = SELF, _ri(rng, 30, 50, len(r))
    _kids(rng, rel, age, r, age[r, 0], _pick(rng, [0, 2, 1], len(r)), 1)
    r = rows["skipped_gen"]
    rel[r, 0], age[r, 0] = SELF, _ri(rng, 60, 78, len(r))
    wed = rng.random(len(r)) < 0.7
    rel[r[wed], 1], age[r[wed], 1] = SPOUSE, age[r[wed], 0] + _ri(rng, -4, 2, int(wed.sum()))
    grand = _pick(rng, [0, 2, 1], len(r))
    for i in range(2):
        g = r[i < grand]
        rel[g, 2 + i], age[g, 2 + i] = GRANDCHILD, _ri(rng, 3, 16, len(g))
    for t, low, high in (("elder_couple", 60, 86), ("empty_nest", 45, 62)):
        _couple(rng, rel, age, rows[t], low, high)
    r = rows["couple_kids"]
    _kids(rng, rel, age, r, _couple(rng, rel, age, r, 27, 52), _pick(rng, [0, 2, 3], len(r)), 2)
    r = rows["three_gen"]
    younger = _couple(rng, rel, age, r, 50, 68)
    child = np.maximum(21, younger - _ri(rng, 22, 34, len(r)))
    rel[r, 2], age[r, 2] = CHILD, child
    rel[r, 3], age[r, 3] = OTHER, np.maximum(20, child + _ri(rng, -3, 3, len(r)))
    _kids(rng, rel, age, r, np.minimum(age[r, 2], age[r, 3]), _pick(rng, [0, 1, 2], len(r)), 4, GRANDCHILD)
    r = rows["with_parent"]
    _kids(rng, rel, age, r, _couple(rng, rel, age, r, 32, 55), _pick(rng, [1, 2, 1], len(r)), 2)
    parent = np.minimum(96, age[r, 0] + _ri(rng, 22, 32, len(r)))
    rel[r, 4], age[r, 4] = PARENT, parent
    both = rng.random(len(r)) < 0.5
    rel[r[both], 5], age[r[both], 5] = PARENT, np.minimum(96, parent[both] + _ri(rng, -4, 4, int(both.sum())))
    return rel, age


# --- members ----------------------------------------------------------------------------------------


def _health(rng: np.random.Generator, age: np.ndarray) -> dict[str, np.ndarray]:
    m = len(age)
    p_dis = np.select([age < 18, age < 60, age < 75], [0.015, 0.045, 0.09], 0.14)
    disabled = rng.random(m) < p_dis
    kind = np.where(disabled, _pick(rng, DISABILITY_KIND_WEIGHTS, m), -1)
    grade = np.where(disabled, _pick(rng, [10, 25, 30, 35], m) + 1, 0)
    chronic = np.select([age < 18, age < 45, age < 60], [0.01, 0.04, 0.14], 0.35)
    serious = np.select([age < 45, age < 60], [0.004, 0.02], 0.035)
    draw = rng.random(m)
    illness = np.where(draw < serious, 2, np.where(draw < serious + chronic, 1, 0))
    mental = (kind == DISABILITY_KINDS.index("intellectual")) | (kind == DISABILITY_KINDS.index("mental"))
    severe = disabled & ((grade <= 2) | (mental & (grade <= 3)))
    partial = (grade == 3) | (age >= 65) | ((illness == 1) & (rng.random(m) < 0.3)) | (illness == 2)
    labor = np.where((age < 16) | (age >= 75) | severe | ((illness == 2) & (rng.random(m) < 0.6)), 2,
                     np.where(partial, 1, 0))
    care = np.where(((age >= 80) & (rng.random(m) < 0.35)) | ((age >= 70) & (rng.random(m) < 0.08)),
                    _ri(rng, 1, 6, m), 0)
    care = np.where(grade == 1, np.maximum(care, _ri(rng, 2, 6, m)), care)
    care = np.where((grade == 2) & (rng.random(m) < 0.5), np.maximum(care, _ri(rng, 1, 4, m)), care)
    care = np.where((illness == 2) & (rng.random(m) < 0.3), np.maximum(care, _ri(rng, 1, 3, m)), care)
    return {"disability_kind": kind, "disability_grade": grade, "illness": illness, "labor": labor,
            "self_care_failed": care}


def _schooling(rng: np.random.Generator, age: np.ndarray, kind: np.ndarray, grade: np.ndarray) -> np.ndarray:
    m, r = len(age), rng.random(len(age))
    school = np.zeros(m, dtype=np.int8)
    school = np.where((age >= 3) & (age <= 5) & (r < 0.85), 1, school)
    compulsory = np.where(age <= 11, 2, np.where(age <= 14, 3, np.where(r < 0.4, 3, 4)))
    dropout = (rng.random(m) < 0.003) | ((grade == 1) & (kind == DISABILITY_KINDS.index("intellectual")))
    school = np.where((age >= 6) & (age <= 15), np.where(dropout, 0, compulsory), school)
    school = np.where((age >= 16) & (age <= 17), np.select([r < 0.65, r < 0.9], [4, 5], 0), school)
    college = np.where(age <= 21, 0.35, 0.15)
    return np.where((age >= 18) & (age <= 22), np.select([r < college, r < 0.42], [6, 5], 0), school)


def _employment(rng: np.random.Generator, age: np.ndarray, school: np.ndarray, labor: np.ndarray,
                urban: np.ndarray) -> np.ndarray:
    r = rng.random(len(age))
    idle = (school != 0) | (age < 16) | (labor == 2)
    idle_job = np.where(urban & (age >= 60) & (rng.random(len(age)) < 0.5), 5, 0)
    old = np.where(urban, np.where(r < 0.55, 5, 0), np.where(r < 0.6, 2, 0))
    town = np.select([r < 0.6, r < 0.72, r < 0.82, (age >= 50) & (r < 0.92)], [1, 3, 4, 5], 0)
    country = np.select([r < 0.45, r < 0.78, r < 0.84, r < 0.9], [2, 1, 3, 4], 0)
    working = np.where(age >= 60, old, np.where(urban, town, country))
    return np.where(idle, idle_job, working)


def _members(rng: np.random.Generator, rel: np.ndarray, age: np.ndarray, urban_hh: np.ndarray) -> dict:
    mask = rel >= 0
    hh, slot = np.nonzero(mask)
    member_no = (np.cumsum(mask, axis=1) - 1)[hh, slot]
    relation, ages = rel[hh, slot], age[hh, slot].astype(np.int64)
    urban = urban_hh[hh]
    cols = {"hh": hh, "member_no": member_no, "relation": relation, "age": ages, "urban": urban}
    cols.update(_health(rng, ages))
    cols["schooling"] = _schooling(rng, ages, cols["disability_kind"], cols["disability_grade"])
    cols["employment"] = _employment(rng, ages, cols["schooling"], cols["labor"], urban)
    male_head = rng.random(len(hh)) < 0.85
    cols["male"] = np.where(relation == SELF, male_head, np.where(relation == SPOUSE, ~male_head,
                                                                   rng.random(len(hh)) < 0.5))
    away = (cols["schooling"] == 6) & np.isin(relation, [CHILD, GRANDCHILD]) & (rng.random(len(hh)) < 0.7)
    prison = cols["male"] & (ages >= 20) & (ages <= 50) & (rng.random(len(hh)) < 0.001)
    cols["employment"] = np.where(prison, 0, cols["employment"])
    cols["co_resident"], cols["prison"] = ~(away | prison), prison
    cols["medical_insured"] = rng.random(len(hh)) < 0.975
    return cols


# --- money -------------------------------------------------------------------------------------------


def _fortune(rng: np.random.Generator, m: dict, n: int) -> np.ndarray:
    hard = np.zeros(n, bool)
    np.logical_or.at(hard, m["hh"], (m["illness"] == 2) | ((m["disability_grade"] > 0) & (m["disability_grade"] <= 2)))
    worker = np.zeros(n, bool)
    np.logical_or.at(worker, m["hh"], (m["labor"] == 0) & (m["age"] >= 16) & (m["age"] < 60))
    w = np.tile(np.array([15.0, 14.0, 59.0, 12.0]), (n, 1))
    w[hard, POOR] *= 3
    w[hard, NEAR] *= 2
    w[~worker, POOR] *= 1.6
    cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    return (rng.random(n)[:, None] > cum[:, :-1]).sum(axis=1)


def _factor(rng: np.random.Generator, fortune: np.ndarray) -> np.ndarray:
    n = len(fortune)
    return np.select([fortune == POOR, fortune == NEAR, fortune == WELL_OFF],
                     [_u(rng, 0.2, 0.65, n), _u(rng, 0.65, 1.0, n), _u(rng, 1.6, 3.2, n)],
                     rng.lognormal(0.1, 0.25, n))


def _incomes(rng: np.random.Generator, m: dict, f_hh: np.ndarray, fortune: np.ndarray, urban_hh: np.ndarray
             ) -> None:
    k, n = len(m["hh"]), len(f_hh)
    f = f_hh[m["hh"]]
    scale = np.where(m["labor"] == 1, 0.5, 1.0)
    job = m["employment"]
    mode = np.where(m["urban"], 34_000.0, 30_000.0)
    wages = np.where(job == 1, rng.triangular(12_000, mode, 70_000) * f * scale, 0)
    m["wages_fen"] = _yuan(wages) + np.where((job == 1) & (rng.random(k) < 0.1), _ri(rng, 0, 99, k), 0)
    m["business_fen"] = _yuan(np.where(job == 3, rng.lognormal(10.5, 0.45, k) * f * scale, 0))
    rent = np.isin(job, [1, 3]) & (rng.random(k) < 0.05)
    m["property_fen"] = _yuan(np.where(rent, _u(rng, 500, 12_000, k) * f, 0))
    transfer = np.where((job == 4) & m["urban"] & (rng.random(k) < 0.3), _u(rng, 6_000, 12_000, k), 0)
    transfer += np.where(job == 5, _u(rng, 24_000, 46_000, k), np.where(m["age"] >= 60, _u(rng, 300, 1_200, k), 0))
    m["transfer_fen"] = _yuan(transfer)
    _land(rng, m, f_hh, fortune, urban_hh, n)


def _land(rng: np.random.Generator, m: dict, f_hh: np.ndarray, fortune: np.ndarray, urban_hh: np.ndarray,
          n: int) -> None:
    """Farming income from the household's land, land rent when nobody farms, support from children away."""
    land = np.where(urban_hh, 0.0, np.maximum(0, rng.normal(45, 18, n)) * np.where(fortune == POOR, 0.5, 1.0))
    farmer = m["employment"] == 2
    farmers = np.bincount(m["hh"], weights=farmer, minlength=n)
    per_farmer = land / np.maximum(farmers, 1) * _u(rng, 450, 700, n) * f_hh
    per_farmer += np.where(rng.random(n) < 0.25, _u(rng, 3_000, 25_000, n) * f_hh, 0) / np.maximum(farmers, 1)
    m["business_fen"] = m["business_fen"] + np.where(farmer, _yuan(per_farmer[m["hh"]]), 0)
    head = m["relation"] == SELF
    let_out = (land > 0) & (farmers == 0)
    rent = _yuan(np.where(let_out, land * _u(rng, 380, 520, n) * np.minimum(f_hh, 1.2), 0))
    m["property_fen"] = m["property_fen"] + np.where(head, rent[m["hh"]], 0)
    couple = np.isin(m["relation"], [SELF, SPOUSE])
    young = np.zeros(n, bool)
    np.logical_or.at(young, m["hh"], couple & (m["age"] < 60))
    support = _yuan(np.where(~young & (rng.random(n) < 0.75), _u(rng, 1_000, 8_000, n) * np.minimum(f_hh, 1.5), 0),
                    100)
    m["transfer_fen"] = m["transfer_fen"] + np.where(head, support[m["hh"]], 0)


def _assets(rng: np.random.Generator, fortune: np.ndarray, urban: np.ndarray, m: dict) -> dict[str, np.ndarray]:
    n = len(fortune)
    deposits = np.select(
        [fortune == POOR, fortune == NEAR, fortune == ORDINARY],
        [np.where(rng.random(n) < 0.7, _u(rng, 0, 6_000, n), 0), _u(rng, 2_000, 25_000, n),
         rng.lognormal(10.2, 0.9, n)], _u(rng, 80_000, 500_000, n))
    car_p = np.array([0.01, 0.06, 0.22, 0.75])[fortune]
    price = np.where(fortune == WELL_OFF, _u(rng, 25_000, 260_000, n), _u(rng, 25_000, 90_000, n))
    car = np.where(rng.random(n) < car_p, price, 0)
    truck = np.where(~urban & (fortune >= ORDINARY) & (rng.random(n) < 0.05), _u(rng, 30_000, 150_000, n), 0)
    houses = np.where(urban, (rng.random(n) >= np.where(fortune == POOR, 0.3, 0.08)).astype(int)
                      + ((fortune == WELL_OFF) & (rng.random(n) < 0.3)), 0)
    houses = np.where(~urban & (rng.random(n) < np.array([0.0, 0.02, 0.06, 0.3])[fortune]), 1, houses)
    self_employed = np.zeros(n, bool)
    np.logical_or.at(self_employed, m["hh"], m["employment"] == 3)
    capital = np.where(self_employed & (fortune != POOR) & (rng.random(n) < 0.3), _u(rng, 10_000, 500_000, n), 0)
    return {"deposits_fen": _yuan(deposits, 100), "vehicle_max_fen": _yuan(np.maximum(car, truck), 1_000),
            "urban_houses": houses, "business_capital_fen": _yuan(capital, 1_000)}


def _rigid(rng: np.random.Generator, m: dict, n: int) -> dict[str, np.ndarray]:
    k = len(m["hh"])
    medical = np.select([m["illness"] == 1, m["illness"] == 2],
                        [_yuan(_u(rng, 800, 7_000, k)), _yuan(_u(rng, 8_000, 90_000, k), 100)], 0)
    low, high = np.array([0, 0, 300, 600, 2_000, 3_000, 8_000]), np.array([0, 0, 1_500, 2_500, 6_000, 8_000, 20_000])
    s = m["schooling"]
    education = _yuan(low[s] + rng.random(k) * (high[s] - low[s]))
    g = m["disability_grade"]
    disability = np.where((g > 0) & (g <= 2), _yuan(_u(rng, 2_000, 15_000, k)),
                          np.where((g > 2) & (rng.random(k) < 0.5), _yuan(_u(rng, 200, 3_000, k)), 0))
    per_hh = {name: np.bincount(m["hh"], weights=v, minlength=n).astype(np.int64)
              for name, v in (("rigid_medical_fen", medical), ("rigid_education_fen", education),
                              ("rigid_disability_fen", disability))}
    return per_hh


def _living(rng: np.random.Generator, fortune: np.ndarray, urban: np.ndarray) -> dict[str, np.ndarray]:
    n = len(fortune)
    bad_c = np.array([10, 4, 2, 2])[fortune]
    bad_d = np.array([2, 1, 0.3, 0.3])[fortune]
    r = rng.random(n) * 100
    rural = np.select([r < 50, r < 98 - bad_c - bad_d, r < 98 - bad_d], [0, 1, 2], 3)
    grade = np.where(urban, np.select([r < 80, r < 99], [0, 1], 2), rural)
    water = urban | (rng.random(n) > np.where(fortune == POOR, 0.06, 0.02))
    p_mon = np.array([0.16, 0.08, 0.008, 0.0])[fortune]
    marked = ~urban & (rng.random(n) < p_mon)
    kind = np.where(marked, _pick(rng, [1, 2, 2], n), -1)
    return {"housing_grade": grade, "water_safe": water, "monitoring_object": marked, "monitoring_kind": kind}


# --- obligors, edges, strings ------------------------------------------------------------------------


def _obligors(rng: np.random.Generator, m: dict, n: int) -> pl.DataFrame:
    """Children away who owe support to the elderly couple (赡养义务人), one row per supported elder."""
    elder = np.isin(m["relation"], [SELF, SPOUSE]) & (m["age"] >= 60)
    has_elder, has_child = np.zeros(n, bool), np.zeros(n, bool)
    np.logical_or.at(has_elder, m["hh"], elder)
    np.logical_or.at(has_child, m["hh"], m["relation"] == CHILD)
    youngest = np.full(n, 200)
    np.minimum.at(youngest, m["hh"][elder], m["age"][elder])
    chosen = np.flatnonzero(has_elder & ~has_child & (rng.random(n) < 0.45))
    count = np.array([1, 1, 2, 3])[rng.integers(0, 4, len(chosen))]
    hh = np.repeat(chosen, count)
    obligor_no = np.arange(len(hh)) - np.repeat(np.cumsum(count) - count, count)
    status = _pick(rng, [86, 6, 5, 2, 1], len(hh))
    income = np.where(status == 0, _yuan(_u(rng, 8_000, 60_000, len(hh)), 100), _yuan(_u(rng, 0, 6_000, len(hh)), 100))
    disabled = rng.random(len(hh)) < 0.03
    obligors = pl.DataFrame({
        "hh_key": hh + 1, "obligor_no": obligor_no, "age": np.maximum(25, youngest[hh] - _ri(rng, 22, 34, len(hh))),
        "status": pl.Series(["normal", "dibao", "no_capacity", "prison", "missing"]).gather(status),
        "disability_kind": pl.Series(DISABILITY_KINDS).gather(np.where(disabled, _pick(rng, DISABILITY_KIND_WEIGHTS, len(hh)), 0)),
        "disability_grade": np.where(disabled, _ri(rng, 1, 4, len(hh)), 0), "annual_income_fen": income,
    }).with_columns(pl.when(pl.col("disability_grade") > 0).then(pl.col("disability_kind")).alias("disability_kind"),
                    pl.when(pl.col("disability_grade") > 0).then(pl.col("disability_grade")).alias("disability_grade"))
    supported = pl.DataFrame({"hh_key": m["hh"][elder] + 1, "member_no": m["member_no"][elder]})
    return obligors.join(supported, on="hh_key").sort("hh_key", "obligor_no", "member_no")


def _on_thresholds(rng: np.random.Generator, m: dict, h: dict, n: int) -> None:
    """0.5 % of households with income exactly 12·n·S, 0.5 % with deposits exactly 24·S·n (fen)."""
    counted = m["co_resident"] & ~m["prison"] | ((m["relation"] == CHILD) & np.isin(m["schooling"], [4, 5, 6])
                                                 & ~m["prison"])
    n_counted = np.bincount(m["hh"], weights=counted, minlength=n).astype(np.int64)
    standard = np.where(h["urban"], STANDARD_FEN[True], STANDARD_FEN[False])
    on_income = (rng.random(n) < 0.005) & (n_counted > 0)
    head = (m["relation"] == SELF) & counted
    for money in ("wages_fen", "business_fen", "property_fen", "transfer_fen"):
        m[money] = np.where(on_income[m["hh"]], 0, m[money])
    m["wages_fen"] = np.where(on_income[m["hh"]] & head, (12 * n_counted * standard)[m["hh"]], m["wages_fen"])
    on_deposit = rng.random(n) < 0.005
    h["deposits_fen"] = np.where(on_deposit, 24 * standard * n_counted, h["deposits_fen"])


def _id_numbers(m: dict, birth: pl.Series) -> pl.Series:
    """Valid GB 11643 numbers (check digit), unique: serials per birth date spread over areas."""
    frame = pl.DataFrame({"b": birth, "male": m["male"]}).with_columns(
        seq=pl.int_range(pl.len(), dtype=pl.Int64).over("b"))
    seq = frame["seq"].to_numpy()
    area_ix = seq // 500
    serial = (seq % 500) * 2 + frame["male"].to_numpy()
    ymd = (birth.dt.year().cast(pl.Int64) * 10_000 + birth.dt.month().cast(pl.Int64) * 100
           + birth.dt.day().cast(pl.Int64)).to_numpy()
    areas = np.array([[int(c) for c in a] for a in AREAS])[area_ix % len(AREAS)]
    digits = np.concatenate([areas, (ymd[:, None] // 10 ** np.arange(7, -1, -1)) % 10,
                             (serial[:, None] // 10 ** np.arange(2, -1, -1)) % 10], axis=1)
    check = (digits @ ID_WEIGHTS) % 11
    return pl.select(pl.concat_str([pl.Series(AREAS).gather(area_ix % len(AREAS)), pl.Series(ymd).cast(pl.Utf8),
                                    pl.Series(serial).cast(pl.Utf8).str.zfill(3),
                                    pl.Series(list("10X98765432")).gather(check)])).to_series()


def _names(rng: np.random.Generator, k: int) -> pl.Series:
    given2 = rng.random(k) < 0.6
    second = pl.Series(GIVEN + [""]).gather(np.where(given2, rng.integers(0, len(GIVEN), k), len(GIVEN)))
    return pl.select(pl.concat_str([pl.Series(SURNAMES).gather(rng.integers(0, len(SURNAMES), k)),
                                    pl.Series(GIVEN).gather(rng.integers(0, len(GIVEN), k)), second])).to_series()


def _regions(rng: np.random.Generator, urban: np.ndarray) -> pl.Series:
    villages = [f"2208211{t:02d}2{v:02d}" for t in range(1, 12) for v in range(1, 21)]
    communities = [f"22082110000{c}" if c < 10 else f"2208211000{c}" for c in range(1, 21)]
    rural_ix = rng.integers(0, len(villages), len(urban))
    urban_ix = rng.integers(0, len(communities), len(urban))
    return pl.Series(villages + communities).gather(np.where(urban, urban_ix + len(villages), rural_ix))


# --- assembly ----------------------------------------------------------------------------------------


def generate(n: int, *, seed: int = SEED, as_of: date = AS_OF) -> Frames:
    """`n` households (hh_key 1..n), their members and obligor supports, cast to ROSTER_SCHEMA."""
    rng = np.random.default_rng(seed)
    urban = rng.random(n) < URBAN_SHARE
    kind = np.where(urban, _pick(rng, TEMPLATE_WEIGHTS[True], n), _pick(rng, TEMPLATE_WEIGHTS[False], n))
    rel, age = _compose(rng, kind)
    m = _members(rng, rel, age, urban)
    fortune = _fortune(rng, m, n)
    _incomes(rng, m, _factor(rng, fortune), fortune, urban)
    h = {"urban": urban, **_assets(rng, fortune, urban, m), **_rigid(rng, m, n), **_living(rng, fortune, urban)}
    _on_thresholds(rng, m, h, n)
    return Frames(_households_frame(rng, h, n), _members_frame(rng, m, as_of), _cast(_obligors(rng, m, n),
                                                                                    "obligor_supports"))


def _cast(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    schema = ROSTER_SCHEMA[table]
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def _households_frame(rng: np.random.Generator, h: dict, n: int) -> pl.DataFrame:
    frame = pl.DataFrame({
        "hh_key": np.arange(1, n + 1), "region": _regions(rng, h["urban"]),
        "residence": pl.Series(["rural", "urban"]).gather(h["urban"].astype(np.int64)),
        **{c: h[c] for c in ("deposits_fen", "vehicle_max_fen", "urban_houses", "business_capital_fen",
                             "rigid_medical_fen", "rigid_education_fen", "rigid_disability_fen", "water_safe",
                             "monitoring_object")},
        "housing_grade": pl.Series(list("ABCD")).gather(h["housing_grade"]),
        "monitoring_kind": pl.Series(["unstable", "marginal", "sudden"]).gather(np.maximum(h["monitoring_kind"], 0)),
    }).with_columns(pl.when(pl.col("monitoring_object")).then(pl.col("monitoring_kind")).alias("monitoring_kind"))
    return _cast(frame, "households")


def _members_frame(rng: np.random.Generator, m: dict, as_of: date) -> pl.DataFrame:
    k = len(m["hh"])
    birth = (pl.DataFrame({"y": as_of.year - m["age"]}).select(
        pl.date(pl.col("y"), as_of.month, min(as_of.day, 28)) - pl.duration(days=pl.Series(_ri(rng, 1, 360, k))))
        .to_series())
    labels = lambda values, codes: pl.Series(values).gather(codes)
    frame = pl.DataFrame({
        "hh_key": m["hh"] + 1, "member_no": m["member_no"], "id_number": _id_numbers(m, birth),
        "name": _names(rng, k), "birth_date": birth, "relation": labels(RELATIONS, m["relation"]),
        "co_resident": m["co_resident"], "excluded": pl.Series(["", "prison"]).gather(m["prison"].astype(np.int64)),
        "schooling": labels(SCHOOLING, m["schooling"]),
        "disability_kind": labels(DISABILITY_KINDS, np.maximum(m["disability_kind"], 0)),
        "disability_grade": m["disability_grade"], "labor": labels(LABOR, m["labor"]),
        "illness": labels(ILLNESS, m["illness"]), "employment": labels(EMPLOYMENT, m["employment"]),
        "self_care_failed": m["self_care_failed"], "medical_insured": m["medical_insured"],
        **{c: m[c] for c in ("wages_fen", "business_fen", "property_fen", "transfer_fen")},
    }).with_columns(
        pl.when(pl.col("excluded") != "").then(pl.col("excluded")).alias("excluded"),
        pl.when(pl.col("disability_grade") > 0).then(pl.col("disability_kind")).alias("disability_kind"),
        pl.when(pl.col("disability_grade") > 0).then(pl.col("disability_grade")).alias("disability_grade"))
    return _cast(frame, "members")


def write(frames: Frames, directory: Path, *, meta: dict | None = None) -> Path:
    """The three Parquet files (sorted by hh_key, so readers can skip row groups by key range)."""
    directory.mkdir(parents=True, exist_ok=True)
    for table, filename in FILES.items():
        getattr(frames, table).write_parquet(directory / filename, compression="zstd", row_group_size=100_000,
                                             statistics=True)
    if meta is not None:
        (directory / "meta.json").write_text(json.dumps(meta))
    return directory


def ensure(n: int, *, seed: int = SEED, root: Path = CACHE) -> Path:
    """The roster of `n` households under var/bench-roster/, generated once per generator version and seed."""
    directory = root / f"n{n}-s{seed}"
    meta = {"generator": GENERATOR_VERSION, "seed": seed, "households": n, "as_of": AS_OF.isoformat()}
    marker = directory / "meta.json"
    if marker.exists() and json.loads(marker.read_text()) == meta:
        return directory
    if marker.exists():
        marker.unlink()
    return write(generate(n, seed=seed), directory, meta=meta)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else CACHE / f"n{count}-s{SEED}"
    print(write(generate(count), target))
