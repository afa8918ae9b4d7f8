"""When a household is due for its periodic review (定期核查), as plain functions of dates and facts.

DOMAIN §4: 低保 yearly, or every 6 months for families with unstable income and members able to
work (`dibao.review_months.stable` / `.volatile`); 特困 yearly (`review.interval_months.tekun`).
A household holding both is reviewed at the shorter interval. The next review falls that many
months after the last one (or after the day the category began, if never reviewed); a day the
month lacks becomes its last day (08-31 + 6 months → 02-28).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from safetynet.core.document import HouseholdDocument
from safetynet.policy.params import ParameterSet
from safetynet.policy.rules.members import ADULT_STUDY, TEKUN_DISABILITY_MAX_GRADE

REVIEWED_CATEGORIES = ("dibao", "tekun")

# 收入来源不固定 (the household document's `employment` vocabulary, core.document.EMPLOYMENT):
# - self_employed 自主经营: earnings of a small business or odd jobs vary month to month (灵活就业);
# - unemployed 失业: a member able to work and out of work may start earning any month, which is
#   exactly what a six-monthly review is meant to catch (the engine's `unemployment` risk reads it too).
# Not unstable: employed 务工/就业 (wages), retired 退休 (a pension), farming 务农 (farm income comes
# once a year with the harvest, so a yearly review already sees each year's income), and none 无 —
# it is also the value of a member whose employment was never recorded, so it cannot be read as
# "out of work" (a member out of work is recorded as unemployed).
UNSTABLE_EMPLOYMENT = frozenset({"self_employed", "unemployed"})


@dataclass(frozen=True)
class MemberFacts:
    """What the 6-month rule reads of one member (from the household document or registry rows)."""

    age: int
    counted: bool
    labor: str
    disability_kind: str
    disability_grade: int | None
    employment: str


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; a day the target month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _qualifying_disability(kind: str, grade: int | None) -> bool:
    limit = TEKUN_DISABILITY_MAX_GRADE.get(kind or "")
    return limit is not None and grade is not None and grade <= limit


def member_able_with_unstable_income(member: MemberFacts, *, minor_age: int, elderly_age: int) -> bool:
    """A counted member of working age, able to work (the engine's `members.able_to_work`: no
    qualifying disability, labour not certified none), whose income source is not fixed."""
    return (member.counted and minor_age <= member.age < elderly_age and member.labor != "none"
            and not _qualifying_disability(member.disability_kind, member.disability_grade)
            and member.employment in UNSTABLE_EMPLOYMENT)


def unstable_income(members: Iterable[MemberFacts], *, region: str, on: date, params: ParameterSet) -> bool:
    """收入不稳定且有劳动能力成员: the household is reviewed every `dibao.review_months.volatile` months."""
    minor = int(params.resolve("tekun.age_minor", region, on).value or 0)
    elderly = int(params.resolve("tekun.age_elderly", region, on).value or 0)
    return any(member_able_with_unstable_income(m, minor_age=minor, elderly_age=elderly) for m in members)


def counted(*, co_resident: bool, relation: str, schooling: str, excluded: str | None) -> bool:
    """共同生活家庭成员 as the engine counts them (policy.rules.members.counted)."""
    return (co_resident or (relation == "child" and schooling in ADULT_STUDY)) and not excluded


def document_member_facts(document: HouseholdDocument, on: date) -> list[MemberFacts]:
    facts = []
    for m in document.members:
        if m.birth_date is None:
            continue
        facts.append(MemberFacts(
            age=age_on(m.birth_date, on), labor=m.labor, employment=m.employment,
            counted=counted(co_resident=m.co_resident, relation=m.relation, schooling=m.schooling,
                            excluded=m.excluded),
            disability_kind=m.disability.kind if m.disability else "",
            disability_grade=m.disability.grade if m.disability else None))
    return facts


@dataclass(frozen=True)
class Interval:
    months: int
    unstable_income: bool  # the 6-month rule applied


def review_interval(categories: Iterable[str], *, unstable: bool, region: str, on: date,
                    params: ParameterSet) -> Interval | None:
    """The review interval for a household holding `categories`; None when none is reviewed."""
    held = set(categories)
    months = []
    if "dibao" in held:
        name = "dibao.review_months.volatile" if unstable else "dibao.review_months.stable"
        months.append(int(params.resolve(name, region, on).value or 0))
    if "tekun" in held:
        months.append(int(params.resolve("review.interval_months.tekun", region, on).value or 0))
    if not months:
        return None
    return Interval(months=min(months), unstable_income=unstable and "dibao" in held)


def first_day_of_next_month(day: date) -> date:
    """Changes decided at a review take effect from the next month: this month's benefit is paid."""
    return add_months(day.replace(day=1), 1)


def taper_end(reviewed_on: date, *, months: int) -> date:
    """The last day of a 渐退期 of `months` months starting the month after the review.

    Reviewed 2025-09-15 with 6 months: 低保 continues October to March and ends 2026-03-31.
    """
    start = first_day_of_next_month(reviewed_on)
    last_month = add_months(start, months - 1)
    return last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
