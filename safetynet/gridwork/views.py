"""Pages of grid work: the worker's phone page (走访任务), the visit form, a visit, the plan list.

Access: households through `access_household` and visits through `access_grid_visit` (404 for missing and
not-yours alike), then the capability (403). Every page showing a household's data is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.exports import recorded_xlsx
from safetynet.audit.services import audit_record
from safetynet.gridwork import selectors, services
from safetynet.gridwork.exports import PLAN_COLUMNS, plan_export_rows
from safetynet.gridwork.forms import VisitForm
from safetynet.gridwork.models import GridVisitPhoto
from safetynet.gridwork.plans import DUE_STATE_LABELS, DueState
from safetynet.intake.errors import IntakeError
from safetynet.intake.models import Application
from safetynet.intake.permissions import role_may
from safetynet.intake.selectors import applications_for
from safetynet.monitoring.alerts import STEP_CLOSE, alert_may
from safetynet.monitoring.models import Alert
from safetynet.registry.models import Household
from safetynet.registry.selectors import access_household

LEVELS = {"grid": "网格", "village": "村（社区）", "township": "乡镇（街道）"}


def may_view_gridwork(user: Any) -> bool:
    return has_capability(user, Capability.RECORD_VISITS) or has_capability(user, Capability.HANDLE_ALERTS)


def _require_view(user: Any) -> None:
    if not may_view_gridwork(user):
        raise PermissionDenied("您的角色不能查看网格走访")


def _require_record(user: Any) -> None:
    if not has_capability(user, Capability.RECORD_VISITS):
        raise PermissionDenied(services.NOT_ALLOWED)


def _audit_view(user: Any, household: Household, *, what: str, object_type: str = "household",
                object_id: object = None) -> None:
    audit_record(by=user, action="view", object_type=object_type,
                 object_id=household.pk if object_id is None else object_id,
                 object_label=f"{what}（户{household.code}）", region_code=household.region_id)


@login_required
@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone page: households due or overdue first, then their open alerts."""
    _require_view(request.user)
    rows = selectors.plan_for(request.user)
    urgent = [r for r in rows if r.due.state != DueState.LATER]
    context = {"urgent": urgent, "later_count": len(rows) - len(urgent),
               "alerts": list(selectors.open_alerts_for(request.user)), "labels": DUE_STATE_LABELS,
               "can_record": has_capability(request.user, Capability.RECORD_VISITS)}
    return render(request, "gridwork/mine.html", context)


@login_required
@never_cache
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    """Due and overdue visits per grid, village and township, and the households behind them."""
    _require_view(request.user)
    level = request.GET.get("level", "")
    level = level if level in LEVELS else _default_level(request.user, request.GET.get("region", ""))
    state = request.GET.get("state", "")
    rows = selectors.plan_for(request.user, region=request.GET.get("region", "").strip()[:15])
    listed = [r for r in rows if r.due.state == state] if state in {s.value for s in DueState} else rows
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    context = {"summary": selectors.plan_summary(rows, level=level), "level": level, "levels": LEVELS,
               "level_label": LEVELS[level],
               "page": page, "state": state, "labels": DUE_STATE_LABELS, "total": len(rows),
               "can_export": has_capability(request.user, Capability.EXPORT_PERSONAL_DATA),
               "region": request.GET.get("region", "")}
    return render(request, "gridwork/plan.html", context)


@login_required
@never_cache
@require_GET
def plan_export(request: HttpRequest) -> HttpResponse:
    """走访计划 (Excel): the plan's households with the page's filters; recorded as an export."""
    _require_view(request.user)
    if not has_capability(request.user, Capability.EXPORT_PERSONAL_DATA):
        raise PermissionDenied("您的角色不能导出个人信息")
    region = request.GET.get("region", "").strip()[:15]
    state = request.GET.get("state", "")
    rows = selectors.plan_for(request.user, region=region)
    label = ""
    if state in {s.value for s in DueState}:
        rows, label = [r for r in rows if r.due.state == state], DUE_STATE_LABELS[DueState(state)]
    filters = "；".join(p for p in (region, label) if p)
    return recorded_xlsx(by=request.user, title="走访计划", columns=PLAN_COLUMNS, rows=plan_export_rows(rows),
                         filters=filters or "全部", object_type="visit_plan",
                         detail={"region": region, "state": state, "rows": len(rows)})


def _default_level(user: Any, region: str) -> str:
    """Townships for a county-wide view (its grids run to hundreds of rows), grids for a township or below."""
    code = region.strip() or getattr(getattr(user, "region", None), "code", "")
    return "township" if len(code) <= 6 else "grid"


def _applications(request: HttpRequest, household: Household) -> list[Application]:
    return list(applications_for(request.user, household=household)[:10])


def _alert_for_visit(request: HttpRequest, household: Household, raw: object) -> Alert | None:
    return selectors.access_open_alert(request.user, household, raw) if raw not in (None, "") else None


def _visit_context(request: HttpRequest, household: Household, form: VisitForm, alert: Alert | None) -> dict[str, Any]:
    return {"household": household, "form": form, "alert": alert,
            "summary": selectors.household_visits(household),
            "household_alerts": list(selectors.open_alerts_for(request.user, household=household)),
            "may_apply": role_may(request.user, "create"), "labels": DUE_STATE_LABELS,
            "may_close": alert is not None and alert_may(request.user, alert, STEP_CLOSE)}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = access_household(request.user, household_pk)
    _require_record(request.user)
    if request.method == "GET":
        alert = _alert_for_visit(request, household, request.GET.get("alert"))
        form = VisitForm(initial={"alert": alert.pk if alert else None, "alert_version": alert.version if alert else None},
                         applications=_applications(request, household))
        _audit_view(request.user, household, what="走访登记页")
        return render(request, "gridwork/visit_form.html", _visit_context(request, household, form, alert))
    form = VisitForm(request.POST, request.FILES, applications=_applications(request, household))
    alert = _alert_for_visit(request, household, request.POST.get("alert"))
    if form.is_valid():
        result = _submit(request, household, form, alert)
        if result is not None:
            return _after_visit(request, household, form, result)
    return render(request, "gridwork/visit_form.html", _visit_context(request, household, form, alert), status=422)


def _submit(request: HttpRequest, household: Household, form: VisitForm,
            alert: Alert | None) -> services.VisitResult | None:
    data = form.cleaned_data
    try:
        return services.grid_visit_submit(
            household=household, by=request.user, checks=form.checks(), visited_on=data["visited_on"],
            notes=data["notes"], photos=data["photos"], alert=alert,
            finding=data["finding"] if data["raise_alert"] else "",
            close_outcome=data["close_outcome"] if alert else "", close_reason=data["close_reason"],
            close_application=form.application(), alert_version=data["alert_version"])
    except services.VisitNotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except (services.GridworkError, IntakeError) as error:
        field = getattr(error, "field", "")
        form.add_error(field if field in form.fields else None, str(error))
    return None


def _after_visit(request: HttpRequest, household: Household, form: VisitForm,
                 result: services.VisitResult) -> HttpResponse:
    messages.success(request, f"已登记走访（户{household.code}，{result.visit.visited_on:%Y-%m-%d}）")
    if result.raised is not None:
        messages.success(request, f"已发起预警：{result.raised.get_kind_display()}，办理期限 {result.raised.due_on:%Y-%m-%d}")
    if result.already_open is not None:
        messages.warning(request, f"该户已有未办结的走访发现预警（{result.already_open.raised_on:%Y-%m-%d} 发起），"
                                  "未重复发起；本次发现已记入走访记录")
    if result.closed is not None:
        messages.success(request, f"预警已办结：{result.closed.get_outcome_display()}")
    if form.cleaned_data["apply"] and role_may(request.user, "create"):
        return redirect("intake:application_create", household.pk)
    return redirect("gridwork:visit_detail", grid_visit_pk=result.visit.pk)


@login_required
@never_cache
@require_GET
def visit_detail(request: HttpRequest, grid_visit_pk: int) -> HttpResponse:
    visit = selectors.access_grid_visit(request.user, grid_visit_pk)
    _require_view(request.user)
    _audit_view(request.user, visit.household, what="网格走访记录", object_type="grid_visit", object_id=visit.pk)
    context = {"visit": visit, "household": visit.household, "photos": list(visit.photos.all()),
               "may_raise": has_capability(request.user, Capability.RECORD_VISITS) and visit.raised_alert is None,
               "may_apply": role_may(request.user, "create")}
    return render(request, "gridwork/visit_detail.html", context)


@login_required
@require_POST
def visit_raise_alert(request: HttpRequest, grid_visit_pk: int) -> HttpResponse:
    """主动发现 after the visit was saved (the worker thought of it on the way back)."""
    visit = selectors.access_grid_visit(request.user, grid_visit_pk)
    _require_record(request.user)
    try:
        raised, already_open = services.grid_visit_raise_alert(visit=visit, by=request.user,
                                                               finding=request.POST.get("finding", ""))
    except services.VisitNotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except services.GridworkError as error:
        messages.error(request, str(error))
    else:
        if raised is not None:
            messages.success(request, f"已发起预警，办理期限 {raised.due_on:%Y-%m-%d}")
        elif already_open is not None:
            messages.warning(request, f"该户已有未办结的走访发现预警（{already_open.raised_on:%Y-%m-%d} 发起），未重复发起")
    return redirect("gridwork:visit_detail", grid_visit_pk=visit.pk)


@login_required
@require_GET
def visit_photo(request: HttpRequest, grid_visit_pk: int, grid_photo_pk: int) -> FileResponse:
    visit = selectors.access_grid_visit(request.user, grid_visit_pk)
    _require_view(request.user)
    photo = GridVisitPhoto.objects.filter(pk=grid_photo_pk, visit=visit).first()
    if photo is None:
        raise Http404("未找到该照片")
    _audit_view(request.user, visit.household, what="走访照片", object_type="grid_visit_photo", object_id=photo.pk)
    return FileResponse(photo.file.open("rb"), filename=photo.original_name or None)
