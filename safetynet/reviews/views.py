"""Pages of the reviews app: the due list, a household's review page, 风险消除 candidates and cases.

Views are thin: check the capability (403), find the object in the user's regions (404 for missing
and not-yours alike), call one service, redirect, or show the service's Chinese message on the form.
Every page that shows households is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.exports import recorded_xlsx
from safetynet.audit.services import audit_record
from safetynet.intake.documents import DocumentUnavailable
from safetynet.intake.errors import ActionNotAllowed, IntakeError
from safetynet.intake.models import CATEGORIES
from safetynet.intake.selectors import household_statuses
from safetynet.intake.services.status import status_in_force, status_version
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.explain import CATEGORY_LABELS, RISK_LABELS
from safetynet.regions.models import Region
from safetynet.registry.display import mask_text
from safetynet.registry.selectors import access_household
from safetynet.reviews import cycle, documents, forms, services
from safetynet.reviews.candidates import elimination_candidates_for, household_candidacy
from safetynet.reviews.errors import ReviewError, ReviewNotAllowed
from safetynet.reviews.exports import DUE_COLUMNS, due_export_rows
from safetynet.reviews.models import RiskElimination
from safetynet.reviews.permissions import ACTION_LABELS, role_may
from safetynet.reviews.selectors import (
    access_elimination,
    due_reviews_for,
    household_due,
    household_reviews,
    region_filter_choices,
)
from safetynet.reviews.services._base import household_now

State = RiskElimination.State
PAGE_SIZE = 50


def _require_capability(user: Any) -> None:
    if not has_capability(user, Capability.RECORD_REVIEWS):
        raise PermissionDenied("您的角色不能查看定期核查和风险消除")


def _audit_view(request: HttpRequest, *, object_type: str, object_id: object = "", label: str,
                region_code: str = "", detail: dict[str, Any] | None = None) -> None:
    audit_record(by=request.user, action="view", object_type=object_type, object_id=object_id,
                 object_label=label, region_code=region_code, detail=detail or {})


def _refuse(form: Any, error: Exception) -> None:
    field = getattr(error, "field", "")
    form.add_error(field if field in form.fields else None, str(error))


def _region_param(request: HttpRequest, choices: list[tuple[str, str]]) -> str:
    region = request.GET.get("region", "")
    return region if region in {code for code, _ in choices} else ""


# ---- the due list ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    """Households whose periodic review is due or overdue, and those in a 渐退期, by township/village."""
    _require_capability(request.user)
    today = timezone.localdate()
    choices = region_filter_choices(request.user)
    region = _region_param(request, choices)
    category = request.GET.get("category", "")
    category = category if category in cycle.REVIEWED_CATEGORIES else ""
    show_all = request.GET.get("all") == "1"
    rows = due_reviews_for(request.user, today=today, region=region, category=category, show_all=show_all)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _audit_view(request, object_type="review_due_list", label="定期核查名单",
                detail={"region": region, "category": category, "all": show_all, "count": len(rows)})
    return render(request, "reviews/due_list.html", {
        "page": page, "count": len(rows), "overdue": sum(r.overdue for r in rows), "today": today,
        "regions": choices, "region": region, "category": category, "show_all": show_all,
        "categories": [(c, CATEGORIES[c]) for c in cycle.REVIEWED_CATEGORIES], "labels": CATEGORIES,
        "can_export": has_capability(request.user, Capability.EXPORT_PERSONAL_DATA),
        "export_query": urlencode({k: v for k, v in (("region", region), ("category", category),
                                                     ("all", "1" if show_all else "")) if v})})


@login_required
@never_cache
@require_GET
def due_list_export(request: HttpRequest) -> HttpResponse:
    """定期核查名单 (Excel) with the list's filters; recorded as an export."""
    _require_capability(request.user)
    if not has_capability(request.user, Capability.EXPORT_PERSONAL_DATA):
        raise PermissionDenied("您的角色不能导出个人信息")
    today = timezone.localdate()
    region = _region_param(request, region_filter_choices(request.user))
    category = request.GET.get("category", "")
    category = category if category in cycle.REVIEWED_CATEGORIES else ""
    show_all = request.GET.get("all") == "1"
    rows = due_reviews_for(request.user, today=today, region=region, category=category, show_all=show_all)
    filters = "；".join(p for p in (Region.objects.get(code=region).full_name if region else "",
                                    CATEGORIES.get(category, ""), "包括未到期的家庭" if show_all else "") if p)
    return recorded_xlsx(by=request.user, title="定期核查名单", columns=DUE_COLUMNS, rows=due_export_rows(rows),
                         filters=filters or "全部到期、即将到期和渐退期内的家庭", object_type="review_due_list",
                         detail={"region": region, "category": category, "all": show_all, "rows": len(rows)})


# ---- a household's review page --------------------------------------------------------------------


@dataclass(frozen=True)
class EngineView:
    """The engine's assessment as the page shows it (IDs masked in every sentence)."""

    error: str
    categories: list[str]
    risks: list[str]
    per_capita: Any
    dibao_monthly: Any
    tekun_monthly: Any
    explanation: list[str]


def _engine_view(assessment: dict[str, Any]) -> EngineView:
    if "error" in assessment:
        return EngineView(mask_text(assessment["error"]), [], [], None, None, None, [])
    figures, benefits = assessment.get("figures") or {}, assessment.get("benefits") or {}
    return EngineView("", [CATEGORY_LABELS.get(c, c) for c in assessment.get("categories") or []],
                      [RISK_LABELS.get(r, r) for r in assessment.get("risks") or []],
                      figures.get("per_capita_income_monthly"), benefits.get("dibao_monthly"),
                      benefits.get("tekun_monthly"),
                      [mask_text(str(line)) for line in assessment.get("explanation") or []])


def _household_context(request: HttpRequest, household: Any, form: forms.ReviewForm | None = None
                       ) -> dict[str, Any]:
    today = timezone.localdate()
    status = status_in_force(household.pk, today)
    _document, _data, assessment = household_now(household, today)
    due = household_due(household, status, on=today)
    may_record = role_may(request.user, "review_record") and due is not None
    if may_record and form is None:
        form = forms.ReviewForm(initial={"version": status_version(household.pk)})
    return {
        "household": household, "status": status, "labels": CATEGORIES, "due": due, "today": today,
        "engine": _engine_view(assessment), "reviews": household_reviews(household),
        "statuses": household_statuses(household), "form": form if may_record else None,
        "candidacy": household_candidacy(household, on=today) if status and status.monitoring_object
        and not status.risk_eliminated_on else None,
        "may_verify": role_may(request.user, "elimination_verify"),
        "eliminations": household.risk_eliminations.order_by("-pk"),
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def household_review(request: HttpRequest, household_pk: int) -> HttpResponse:
    """定期核查 of one household: its status, the engine on its data as it now stands, the record form."""
    _require_capability(request.user)
    household = access_household(request.user, household_pk)
    if request.method == "GET":
        _audit_view(request, object_type="household", object_id=household.pk, label=f"户{household.code}定期核查",
                    region_code=household.region_id, detail={"page": "review"})
        return render(request, "reviews/household_review.html", _household_context(request, household))
    if not role_may(request.user, "review_record"):
        raise PermissionDenied(f"您的角色不能{ACTION_LABELS['review_record']}")
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            review = services.periodic_review_record(
                household=household, by=request.user, outcome=data["outcome"], reason=data["reason"],
                version=data["version"], reviewed_on=data["on"], change=form.change())
        except (ReviewNotAllowed, ActionNotAllowed) as error:
            raise PermissionDenied(str(error)) from error
        except (ReviewError, IntakeError) as error:
            _refuse(form, error)
        else:
            messages.success(request, f"已登记定期核查（{review.get_outcome_display()}）")
            return redirect("reviews:household_review", household_pk=household.pk)
    return render(request, "reviews/household_review.html", _household_context(request, household, form),
                  status=422)


# ---- 风险消除 -----------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def elimination_list(request: HttpRequest) -> HttpResponse:
    """Tagged households that may be marked 风险消除, and the cases under way."""
    _require_capability(request.user)
    today = timezone.localdate()
    choices = region_filter_choices(request.user)
    region = _region_param(request, choices)
    show_all = request.GET.get("all") == "1"
    rows = elimination_candidates_for(request.user, today=today, region=region, show_all=show_all)
    cases = RiskElimination.objects.visible_to(request.user).select_related("household", "region__parent")
    if region:
        cases = cases.filter(region__code__startswith=region)
    _audit_view(request, object_type="elimination_list", label="风险消除候选名单",
                detail={"region": region, "all": show_all, "count": len(rows)})
    return render(request, "reviews/elimination_list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "count": len(rows),
        "cases": cases[:PAGE_SIZE], "regions": choices, "region": region, "show_all": show_all,
        "may_verify": role_may(request.user, "elimination_verify")})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def elimination_verify(request: HttpRequest, household_pk: int) -> HttpResponse:
    """核实 a candidate household: who went, what they found (the first step of 风险消除)."""
    _require_capability(request.user)
    household = access_household(request.user, household_pk)
    if not role_may(request.user, "elimination_verify"):
        raise PermissionDenied(f"您的角色不能{ACTION_LABELS['elimination_verify']}")
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.elimination_verify(household=household, by=request.user, staff_names=form.names(),
                                               findings=form.cleaned_data["findings"],
                                               verified_on=form.cleaned_data["on"])
        except (ReviewNotAllowed, ActionNotAllowed) as error:
            raise PermissionDenied(str(error)) from error
        except (ReviewError, IntakeError) as error:
            _refuse(form, error)
        else:
            messages.success(request, "已登记风险消除核实，请开始公示")
            return redirect("reviews:elimination_detail", elimination_pk=case.pk)
    if request.method == "GET":
        _audit_view(request, object_type="household", object_id=household.pk, label=f"户{household.code}风险消除核实",
                    region_code=household.region_id, detail={"page": "elimination_verify"})
    return render(request, "reviews/elimination_verify.html", {
        "household": household, "form": form, "candidacy": household_candidacy(household, on=timezone.localdate()),
        "status": status_in_force(household.pk, timezone.localdate()), "labels": CATEGORIES},
        status=422 if request.method == "POST" else 200)


@dataclass(frozen=True)
class Step:
    label: str
    action: str  # permissions.ACTION_ROLES key
    form: type[forms.StepForm]
    states: tuple[str, ...]
    danger: bool = False


STEPS: dict[str, Step] = {
    "publicity": Step("开始公示", "elimination_publicity", forms.StepForm, (State.VERIFIED,)),
    "objection": Step("登记公示异议", "elimination_objection", forms.ObjectionForm, (State.PUBLICITY,), danger=True),
    "confirm": Step("确认风险消除", "elimination_decide", forms.ReasonForm, (State.PUBLICITY,)),
    "refuse": Step("不予确认", "elimination_decide", forms.ReasonForm, (State.PUBLICITY,), danger=True),
}


def _run(name: str, form: django_forms.Form, case: RiskElimination, user: Any) -> None:
    data = form.cleaned_data
    if name == "publicity":
        services.elimination_publicity_start(case=case, by=user, start_on=data["on"])
    elif name == "objection":
        services.elimination_objection_record(case=case, by=user, content=data["content"], received_on=data["on"])
    elif name == "confirm":
        services.elimination_confirm(case=case, by=user, reason=data["reason"], on=data["on"])
    else:
        services.elimination_refuse(case=case, by=user, reason=data["reason"], on=data["on"])


def _step_forms(user: Any, case: RiskElimination, bound: tuple[str, Any] | None = None) -> list[dict[str, Any]]:
    shown = [n for n, s in STEPS.items() if role_may(user, s.action) and case.state in s.states
             or (bound is not None and bound[0] == n)]
    return [{"name": n, "step": STEPS[n], "url": reverse("reviews:elimination_act", args=[case.pk, n]),
             "form": bound[1] if bound and bound[0] == n else STEPS[n].form(initial={"version": case.version},
                                                                          prefix=n)} for n in shown]


def _preview(case: RiskElimination) -> str:
    if case.state != State.VERIFIED:
        return ""
    start = timezone.localdate()
    days = int(effective_parameters().resolve("review.elimination.publicity_days", case.region_id, start).value or 0)
    return services.elimination_notice(case, start, start + timedelta(days=max(days, 1) - 1))["notice_text"]


def _case_context(request: HttpRequest, case: RiskElimination, bound: tuple[str, Any] | None = None
                  ) -> dict[str, Any]:
    return {"case": case, "household": case.household, "steps": _step_forms(request.user, case, bound),
            "engine": _engine_view(case.assessment), "preview": _preview(case),
            "risk_labels": RISK_LABELS, "status": status_in_force(case.household_id, timezone.localdate())}


@login_required
@never_cache
@require_GET
def elimination_detail(request: HttpRequest, elimination_pk: int) -> HttpResponse:
    _require_capability(request.user)
    case = access_elimination(request.user, elimination_pk)
    _audit_view(request, object_type="risk_elimination", object_id=case.pk, label=f"户{case.household.code}风险消除",
                region_code=case.region_id)
    return render(request, "reviews/elimination_detail.html", _case_context(request, case))


@login_required
@require_GET
def elimination_notice_pdf(request: HttpRequest, elimination_pk: int) -> HttpResponse:
    """The 风险消除 notice for the village board (masked); printing it is recorded as an export."""
    _require_capability(request.user)
    case = access_elimination(request.user, elimination_pk)
    try:
        pdf = documents.elimination_notice_pdf(case)
    except DocumentUnavailable as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    audit_record(by=request.user, action="export", object_type="risk_elimination", object_id=case.pk,
                 object_label=f"户{case.household.code}风险消除公示", region_code=case.region_id,
                 detail={"document": "elimination_notice", "format": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"风险消除公示-{case.household.code}.pdf")
    return response


@login_required
@require_POST
def elimination_act(request: HttpRequest, elimination_pk: int, step: str) -> HttpResponse:
    _require_capability(request.user)
    case = access_elimination(request.user, elimination_pk)
    if step not in STEPS:
        raise PermissionDenied("没有这个办理步骤")
    if not role_may(request.user, STEPS[step].action):
        raise PermissionDenied(f"您的角色不能{ACTION_LABELS[STEPS[step].action]}")
    form = STEPS[step].form(request.POST, prefix=step)
    if form.is_valid():
        case.version = form.cleaned_data["version"]  # a page loaded before someone else acted is stale
        try:
            _run(step, form, case, request.user)
        except (ReviewNotAllowed, ActionNotAllowed) as error:
            raise PermissionDenied(str(error)) from error
        except (ReviewError, IntakeError) as error:
            _refuse(form, error)
        else:
            messages.success(request, f"已{STEPS[step].label}（{case.get_state_display()}）")
            return redirect("reviews:elimination_detail", elimination_pk=case.pk)
    case = access_elimination(request.user, elimination_pk)
    return render(request, "reviews/elimination_detail.html", _case_context(request, case, bound=(step, form)),
                  status=422)
