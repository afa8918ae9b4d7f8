"""风险消除: verification → 公示 in the village (masked) → county rural affairs confirms, or not.

The same path of verification and notice as an application (DOMAIN §4), on its own record: the
household keeps its tag and stays watched; only the mark 风险已消除 and its date are added.
Each step claims the case by a conditional UPDATE on `version` (two people acting at once: one wins).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F

from safetynet.audit.services import audit_record
from safetynet.core.idnumber import mask_name
from safetynet.intake.services.status import household_status_risk_eliminate, status_in_force, status_version
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.explain import RISK_LABELS
from safetynet.regions.models import Region
from safetynet.registry.models import Household
from safetynet.reviews import errors
from safetynet.reviews.candidates import household_candidacy
from safetynet.reviews.models import RiskElimination
from safetynet.reviews.services._base import household_now, require, require_text, step_date

State = RiskElimination.State
NOTICE = ("{village}{name}户（共同生活{covered}人），经入户核实，家庭人均纯收入已连续{months}个月稳定高于防止返贫"
          "监测线，“两不愁三保障”及饮水安全有保障，致贫返贫风险已稳定消除，拟标注为风险消除。"
          "公示期{start}至{end}。如有异议，请在公示期内向{township}人民政府反映。标注后该户仍在监测范围内，继续跟踪回访。")


def _claim(case: RiskElimination, *, by: Any, step: str, to: str, **fields: Any) -> None:
    """Move `case` to `to` if nobody changed it since it was read; audit the step."""
    updated = RiskElimination.objects.filter(pk=case.pk, version=case.version).update(
        state=to, version=F("version") + 1, **fields)
    if updated != 1:
        raise errors.ReviewStale(errors.STALE)
    detail = {"step": step, "from": case.state, "to": to, "version": case.version + 1}
    case.state, case.version = to, case.version + 1
    for name, value in fields.items():
        setattr(case, name, value)
    audit_record(by=by, action="change", object_type="risk_elimination", object_id=case.pk,
                 object_label=f"户{case.household.code}风险消除", region_code=case.region_id, detail=detail)


def _require_state(case: RiskElimination, states: Sequence[str], action: str) -> None:
    if case.state not in states:
        raise errors.ReviewWrongOrder(errors.WRONG_STATE.format(state=case.get_state_display(), action=action))


def _staff(names: Sequence[str]) -> list[str]:
    people = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if len(people) < 2:
        raise errors.ReviewError(errors.STAFF_TOO_FEW.format(count=len(people)), field="staff_names")
    return people


def _check_household(household: Household, on: date, assessment: dict[str, Any]) -> dict[str, Any]:
    status = status_in_force(household.pk, on)
    if status is None or not status.monitoring_object:
        raise errors.ReviewWrongOrder(errors.NOT_TAGGED)
    if status.risk_eliminated_on is not None:
        raise errors.ReviewWrongOrder(errors.ALREADY_ELIMINATED.format(on=status.risk_eliminated_on))
    open_case = RiskElimination.objects.filter(household=household, state__in=[State.VERIFIED, State.PUBLICITY]).first()
    if open_case is not None:
        raise errors.ReviewWrongOrder(errors.OPEN_CASE.format(state=open_case.get_state_display()))
    candidacy = household_candidacy(household, on=on)
    if not candidacy.eligible:
        raise errors.ReviewWrongOrder(errors.NOT_A_CANDIDATE.format(reasons="；".join(candidacy.reasons)))
    if assessment.get("risks"):
        raise errors.ReviewWrongOrder(errors.RISKS_NOW.format(
            risks="、".join(RISK_LABELS.get(r, r) for r in assessment["risks"])))
    return candidacy.evidence()


@transaction.atomic
def elimination_verify(*, household: Household, by: Any, staff_names: Sequence[str], findings: str,
                       verified_on: date | None = None) -> RiskElimination:
    """核实: a tagged household that is a candidate (reviews.candidates), visited by ≥ 2 staff, with no
    risk in the engine's assessment of its registry data as it now stands."""
    require(by, "elimination_verify", household.region_id)
    on = step_date(verified_on)
    people = _staff(staff_names)
    findings = require_text(findings, "核实情况", field="findings")
    _document, document_data, assessment = household_now(household, on)
    evidence = _check_household(household, on, assessment)
    case = RiskElimination.objects.create(
        household=household, region_id=household.region_id, evidence=evidence, verified_on=on, verified_by=by,
        staff_names=people, findings=findings, document=document_data, assessment=assessment)
    audit_record(by=by, action="create", object_type="risk_elimination", object_id=case.pk,
                 object_label=f"户{household.code}风险消除", region_code=household.region_id,
                 detail={"step": "verify", "on": on.isoformat(), "evidence": evidence})
    return case


def elimination_notice(case: RiskElimination, start: date, end: date) -> dict[str, str]:
    """The masked 公示 text: surname + *, the number of people, never ID numbers or health (DOMAIN §6)."""
    head = next((m for m in case.document.get("members", []) if m.get("relation") == "self"), {})
    names = dict(Region.objects.filter(code__in=[case.region_id[:12], case.region_id[:9]]).values_list("code", "name"))
    covered = (case.assessment.get("figures") or {}).get("counted_members") or len(case.document.get("members", []))
    name = mask_name(head.get("name", ""))
    text = NOTICE.format(village=names.get(case.region_id[:12], ""), name=name, covered=covered,
                         months=case.evidence.get("months_above", ""), start=f"{start:%Y年%m月%d日}",
                         end=f"{end:%Y年%m月%d日}", township=names.get(case.region_id[:9], "乡镇"))
    return {"masked_name": name, "notice_text": text}


@transaction.atomic
def elimination_publicity_start(*, case: RiskElimination, by: Any, start_on: date | None = None) -> RiskElimination:
    """公示 in the village for `review.elimination.publicity_days` calendar days."""
    require(by, "elimination_publicity", case.region_id)
    on = step_date(start_on)
    _require_state(case, [State.VERIFIED], "开始公示")
    if on < case.verified_on:
        raise errors.ReviewWrongOrder(errors.BEFORE_VERIFIED.format(on=on, verified=case.verified_on), field="on")
    days = int(effective_parameters().resolve("review.elimination.publicity_days", case.region_id, on).value or 0)
    end = on + timedelta(days=max(days, 1) - 1)
    _claim(case, by=by, step="publicity_start", to=State.PUBLICITY, publicity_start=on, publicity_end=end,
           publicity_by=by, **elimination_notice(case, on, end))
    return case


@transaction.atomic
def elimination_objection_record(*, case: RiskElimination, by: Any, content: str,
                                 received_on: date | None = None) -> RiskElimination:
    """An objection during 公示 ends the case (未予消除): the household stays a candidate, and a new
    verification can answer the objection."""
    require(by, "elimination_objection", case.region_id)
    on = step_date(received_on)
    _require_state(case, [State.PUBLICITY], "登记公示异议")
    content = require_text(content, "异议内容", field="content")
    assert case.publicity_start is not None and case.publicity_end is not None
    if not case.publicity_start <= on <= case.publicity_end:
        raise errors.ReviewWrongOrder(errors.OBJECTION_OUTSIDE.format(
            on=on, start=case.publicity_start, end=case.publicity_end), field="on")
    _claim(case, by=by, step="objection", to=State.REFUSED, objection=content, decided_on=on, decided_by=by,
           decision_reason=f"公示期间收到异议：{content}")
    return case


def _decide(case: RiskElimination, *, by: Any, on: date | None, action: str) -> date:
    require(by, "elimination_decide", case.region_id)
    on = step_date(on)
    _require_state(case, [State.PUBLICITY], action)
    assert case.publicity_end is not None
    if on <= case.publicity_end:
        raise errors.ReviewWrongOrder(errors.PUBLICITY_RUNNING.format(
            end=case.publicity_end, first=case.publicity_end + timedelta(days=1), action=action), field="on")
    return on


@transaction.atomic
def elimination_confirm(*, case: RiskElimination, by: Any, reason: str = "", on: date | None = None
                        ) -> RiskElimination:
    """County rural affairs confirms after the notice: the status marks 风险已消除 from `on`, tag kept."""
    on = _decide(case, by=by, on=on, action="确认风险消除")
    household = case.household
    status = household_status_risk_eliminate(household=household, by=by, on=on, version=status_version(household.pk),
                                             note=f"风险消除（县农业农村局确认，{on}）{reason.strip()}")
    _claim(case, by=by, step="confirm", to=State.CONFIRMED, decided_on=on, decided_by=by,
           decision_reason=reason.strip(), status_after=status)
    return case


@transaction.atomic
def elimination_refuse(*, case: RiskElimination, by: Any, reason: str, on: date | None = None) -> RiskElimination:
    """不予确认, with the reasons written down; the household stays as it was."""
    on = _decide(case, by=by, on=on, action="不予确认风险消除")
    reason = require_text(reason, "不予确认的理由")
    _claim(case, by=by, step="refuse", to=State.REFUSED, decided_on=on, decided_by=by, decision_reason=reason)
    return case
