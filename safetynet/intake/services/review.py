"""分类审核 and 公示: the township decides beside the engine's proposal, then publishes a masked notice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from safetynet.core.idnumber import mask_name
from safetynet.intake import errors
from safetynet.intake.deadlines import procedure_value
from safetynet.intake.models import (
    ITEMS,
    TAG,
    Application,
    Investigation,
    Objection,
    Publicity,
    Review,
    ReviewDecision,
)
from safetynet.intake.services._base import State, claim, require, step_date
from safetynet.intake.services.investigation import current_investigation
from safetynet.regions.models import Region

# The engine's rules that speak to each item (rule names start with these), shown beside the decision.
EXPLAINING_RULES: dict[str, tuple[str, ...]] = {
    "tekun": ("tekun.",),
    "dibao": ("members.counted", "income.", "dibao.", "property.strict"),
    "dibao_edge": ("dibao_edge.", "property.wide"),
    "rigid_expense": ("rigid.", "property.wide"),
    TAG: ("monitoring.", "risk."),
}
NOTICE = ("{name}户，保障人数{covered}人，拟认定为{items}{amount}。公示期：{start}至{end}。"
          "如有异议，请在公示期内向{township}人民政府反映。")


def current_review(application: Application) -> Review | None:
    return application.reviews.order_by("-round").first()


def item_explanation(assessment: dict[str, Any], item: str) -> list[dict[str, Any]]:
    """The engine's rules that speak to one item (审核 shows them beside the decision)."""
    if "error" in assessment:
        return [{"rule": "", "title": "无法核算", "verdict": None, "text": assessment["error"]}]
    prefixes = EXPLAINING_RULES[item]
    return [{k: rule.get(k) for k in ("rule", "title", "verdict", "text")}
            for rule in assessment.get("rules", []) if rule["rule"].startswith(prefixes)]


def _check_decisions(review: Review, decisions: Mapping[str, bool], reasons: Mapping[str, str]) -> None:
    for item, label in ITEMS.items():
        if item not in decisions:
            raise errors.IntakeInvalid(errors.DECISION_MISSING.format(label=label), field=item)
        if bool(decisions[item]) != review.proposal.get(item, False) and not (reasons.get(item) or "").strip():
            raise errors.IntakeInvalid(errors.DECISION_DIFFERS.format(label=label), field=f"{item}_reason")
    if decisions["dibao_edge"] and (decisions["dibao"] or decisions["tekun"]):
        raise errors.IntakeInvalid(errors.EDGE_EXCLUSIVE, field="dibao_edge")
    if decisions["rigid_expense"] and any(decisions[c] for c in ("tekun", "dibao", "dibao_edge")):
        raise errors.IntakeInvalid(errors.RIGID_EXCLUSIVE, field="rigid_expense")


@transaction.atomic
def application_review_decide(*, application: Application, by: Any, decisions: Mapping[str, bool],
                              reasons: Mapping[str, str] | None = None, on: date | None = None) -> Review:
    """分类审核意见: a decision on each category and the tag; a written reason wherever it differs from the engine."""
    require(application, by=by, action="review_decide", states=[State.REVIEWING])
    on, reasons = step_date(application, on), reasons or {}
    review = current_review(application)
    assert review is not None  # entering 分类审核 creates the review
    if review.decided_on is not None:
        raise errors.WrongOrder(errors.ALREADY_DECIDED.format(on=review.decided_on))
    _check_decisions(review, decisions, reasons)
    approved = [item for item in ITEMS if decisions[item]]
    claim(application, by=by, action="review_decide", to=State.REVIEWING, on=on,
          note="；".join(f"{ITEMS[i]}：{reasons[i].strip()}" for i in ITEMS if (reasons.get(i) or "").strip()),
          detail={"approved": approved, "proposal": [i for i in ITEMS if review.proposal.get(i)]})
    ReviewDecision.objects.bulk_create(
        ReviewDecision(review=review, item=item, proposed=review.proposal.get(item, False),
                       decided=bool(decisions[item]), reason=(reasons.get(item) or "").strip(),
                       explanation=item_explanation(review.assessment, item))
        for item in ITEMS)
    review.decided_on, review.decided_by = on, by
    review.save(update_fields=["decided_on", "decided_by"])
    return review


def approved_items(review: Review) -> list[str]:
    return [d.item for d in sorted(review.decisions.all(), key=lambda d: list(ITEMS).index(d.item)) if d.decided]


def _amount(review: Review, items: list[str]) -> Decimal:
    benefits = review.assessment.get("benefits") or {}
    return sum((Decimal(str(benefits.get(f"{c}_monthly") or 0)) for c in ("dibao", "tekun") if c in items),
               Decimal(0))


def _covered(review: Review, items: list[str]) -> int:
    figures = review.assessment.get("figures") or {}
    if items == ["tekun"]:
        return len(review.assessment.get("tekun_members") or [])
    return int(figures.get("counted_members") or len(review.document.get("members") or []))


def publicity_notice(application: Application, review: Review, items: list[str], start: date,
                     end: date) -> dict[str, Any]:
    """The masked 公示 text and its figures (also previewed on the page before 公示 starts)."""
    name = mask_name(application.applicant.name)
    amount, covered = _amount(review, items), _covered(review, items)
    township = Region.objects.filter(code=application.region_id[:9]).values_list("name", flat=True).first() or ""
    labels = "、".join(ITEMS[i] for i in items)
    text = NOTICE.format(name=name, covered=covered, items=labels, start=f"{start:%Y年%m月%d日}",
                         end=f"{end:%Y年%m月%d日}", township=township,
                         amount=f"，月保障金额{amount:.0f}元" if amount else "")
    return {"masked_name": name, "covered": covered, "monthly_amount": amount, "notice_text": text}


@transaction.atomic
def application_publicity_start(*, application: Application, by: Any, start_on: date | None = None) -> Publicity:
    """公示: procedure.publicity_days calendar days in the village, showing only surname + *, the number
    covered and the amount (DOMAIN §6); never ID numbers, illness or disability."""
    require(application, by=by, action="publicity_start", states=[State.REVIEWING])
    start_on = step_date(application, start_on)
    review = current_review(application)
    if review is None or review.decided_on is None:
        raise errors.WrongOrder(errors.NOT_DECIDED)
    items = approved_items(review)
    if not items:
        raise errors.WrongOrder(errors.NOTHING_TO_PUBLICISE)
    days = procedure_value("publicity_days", region=application.region_id, on=start_on)
    end_on = start_on + timedelta(days=days - 1)
    claim(application, by=by, action="publicity_start", to=State.PUBLICITY, on=start_on,
          detail={"items": items, "start": start_on.isoformat(), "end": end_on.isoformat()})
    return Publicity.objects.create(application=application, review=review, start_on=start_on, end_on=end_on,
                                    items=items, started_by=by,
                                    **publicity_notice(application, review, items, start_on, end_on))


def current_publicity(application: Application) -> Publicity | None:
    return application.publicities.order_by("-pk").first()


@transaction.atomic
def application_objection_record(*, application: Application, by: Any, content: str,
                                 received_on: date | None = None) -> Objection:
    """异议: recorded during 公示; the notice is interrupted and the case goes back to 调查核实."""
    require(application, by=by, action="objection_record", states=[State.PUBLICITY])
    received_on = step_date(application, received_on)
    publicity = current_publicity(application)
    assert publicity is not None
    if not publicity.start_on <= received_on <= publicity.end_on:
        raise errors.WrongOrder(errors.OBJECTION_OUTSIDE.format(on=received_on, start=publicity.start_on,
                                                                end=publicity.end_on))
    content = (content or "").strip()
    if not content:
        raise errors.IntakeInvalid(errors.OBJECTION_CONTENT_REQUIRED, field="content")
    claim(application, by=by, action="objection_record", to=State.INVESTIGATING, on=received_on, note=content)
    publicity.interrupted_on = received_on
    publicity.save(update_fields=["interrupted_on"])
    _reopen_investigation(application, by=by, on=received_on)
    return Objection.objects.create(application=application, publicity=publicity, received_on=received_on,
                                    content=content, recorded_by=by)


def _reopen_investigation(application: Application, *, by: Any, on: date) -> Investigation:
    previous = current_investigation(application)
    assert previous is not None
    investigation = Investigation.objects.create(application=application, round=previous.round + 1,
                                                 started_on=on, started_by=by, reason="公示异议，重新调查核实")
    investigation.staff.set(previous.staff.all())
    return investigation

