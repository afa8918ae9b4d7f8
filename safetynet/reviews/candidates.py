"""风险消除 candidates: tagged households whose income has stayed above the monitoring line.

DOMAIN §4: a household tagged 防止返贫监测对象 may be marked 风险消除 when its per-capita income has
been above the line for at least `review.elimination.months_above_line` months with its risks gone.
Read from the screening history (monitoring.ScreeningResult, one per household per registry run):

- above the line in a run: per-capita monthly income × 12 > `monitoring.income_line` in force on the
  run's date (strictly above: at the line the family is still inside the monitoring range);
- the streak: the runs above the line since the last run that was not (below, or not assessable);
- months above: calendar months from the streak's first run to the latest, both counted (monthly runs
  from January to June: 6);
- risks gone: the latest run found no risk (the 两不愁三保障, water and labour checks among them; a
  household without labour keeps its `no_labor` risk and so is never a candidate — national guidance
  keeps watching such households rather than marking them eliminated).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from safetynet.monitoring.models import ScreeningResult, ScreeningRun
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.explain import RISK_LABELS
from safetynet.policy.params import ParameterSet
from safetynet.registry.models import Household
from safetynet.reviews.models import RiskElimination
from safetynet.reviews.selectors import statuses_in_force

NO_RUNS = "尚无该户的筛查结果"
LATEST_BELOW = "最近一次筛查（{on}）人均收入未高于监测线"
TOO_FEW_MONTHS = "人均收入高于监测线{months}个月，未满{required}个月"
RISKS_REMAIN = "最近一次筛查（{on}）仍有风险：{risks}"


@dataclass(frozen=True)
class RunIncome:
    """One household's result in one registry screening run."""

    run_id: int
    as_of: date
    per_capita_fen: int | None
    risks: tuple[str, ...]
    error: str = ""


@dataclass(frozen=True)
class Candidacy:
    eligible: bool
    months_above: int
    since: date | None  # the first run of the streak above the line
    latest: RunIncome | None
    line_annual: Decimal | None  # the line in force on the latest run (元/人·年)
    required_months: int
    reasons: list[str] = field(default_factory=list)  # why not (yet), in Chinese

    def evidence(self) -> dict[str, Any]:
        """What the verification record keeps of it (JSON)."""
        latest = self.latest
        return {"months_above": self.months_above, "since": self.since.isoformat() if self.since else None,
                "required_months": self.required_months,
                "latest_run": latest.run_id if latest else None,
                "latest_as_of": latest.as_of.isoformat() if latest else None,
                "per_capita_monthly": f"{Decimal(latest.per_capita_fen) / 100:.2f}"
                if latest and latest.per_capita_fen is not None else None,
                "line_annual": str(self.line_annual) if self.line_annual is not None else None,
                "risks": list(latest.risks) if latest else []}


def _line(region: str, on: date, params: ParameterSet) -> Decimal:
    return Decimal(params.resolve("monitoring.income_line", region, on).value or 0)


def _above(result: RunIncome, line: Decimal) -> bool:
    return not result.error and result.per_capita_fen is not None and result.per_capita_fen * 12 > line * 100


def months_counted(first: date, last: date) -> int:
    """Calendar months from `first` to `last`, both counted."""
    return (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1


def candidacy(results: list[RunIncome], *, region: str, on: date, params: ParameterSet) -> Candidacy:
    """Whether a tagged household is a 风险消除 candidate, from its results oldest first."""
    required = int(params.resolve("review.elimination.months_above_line", region, on).value or 0)
    if not results:
        return Candidacy(False, 0, None, None, None, required, [NO_RUNS])
    latest = results[-1]
    since = None
    for result in reversed(results):
        if not _above(result, _line(region, result.as_of, params)):
            break
        since = result.as_of
    months = months_counted(since, latest.as_of) if since else 0
    reasons = []
    if since is None:
        reasons.append(LATEST_BELOW.format(on=latest.as_of))
    elif months < required:
        reasons.append(TOO_FEW_MONTHS.format(months=months, required=required))
    if latest.risks:
        reasons.append(RISKS_REMAIN.format(on=latest.as_of, risks="、".join(RISK_LABELS.get(r, r)
                                                                          for r in latest.risks)))
    return Candidacy(not reasons, months, since, latest, _line(region, latest.as_of, params), required, reasons)


def run_incomes(household_ids: list[int]) -> dict[int, list[RunIncome]]:
    """Each household's results in completed registry runs, oldest first (one query)."""
    incomes: dict[int, list[RunIncome]] = defaultdict(list)
    rows = (ScreeningResult.objects
            .filter(household_id__in=household_ids, run__status=ScreeningRun.Status.DONE,
                    run__source=ScreeningRun.REGISTRY)
            .order_by("household_id", "run__as_of", "run_id")
            .values_list("household_id", "run_id", "run__as_of", "per_capita_income_monthly_fen", "risks", "error"))
    for household_id, run_id, as_of, fen, risks, error in rows:
        incomes[household_id].append(RunIncome(run_id, as_of, fen, tuple(risks or ()), error or ""))
    return incomes


@dataclass(frozen=True)
class CandidateRow:
    household: Household
    candidacy: Candidacy
    open_case: RiskElimination | None


def elimination_candidates_for(user: Any, *, today: date, region: str = "", show_all: bool = False
                               ) -> list[CandidateRow]:
    """Tagged households in `user`'s regions not yet marked eliminated: the candidates (with an open
    case if one is under way), or every one of them with `show_all` (with why not yet)."""
    params = effective_parameters()
    tagged = [pk for pk, s in statuses_in_force(user, on=today, region=region).items()
              if s.monitoring_object and s.risk_eliminated_on is None]
    households = Household.objects.select_related("region__parent").in_bulk(tagged)
    incomes = run_incomes(tagged)
    open_cases = {c.household_id: c for c in RiskElimination.objects.filter(
        household_id__in=tagged, state__in=[RiskElimination.State.VERIFIED, RiskElimination.State.PUBLICITY])}
    rows = []
    for pk in tagged:
        household = households[pk]
        found = candidacy(incomes.get(pk, []), region=household.region_id, on=today, params=params)
        if show_all or found.eligible or pk in open_cases:
            rows.append(CandidateRow(household=household, candidacy=found, open_case=open_cases.get(pk)))
    return sorted(rows, key=lambda r: (not r.candidacy.eligible, r.household.code))


def household_candidacy(household: Household, *, on: date) -> Candidacy:
    return candidacy(run_incomes([household.pk]).get(household.pk, []), region=household.region_id, on=on,
                     params=effective_parameters())
