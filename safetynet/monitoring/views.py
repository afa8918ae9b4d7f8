"""Pages of keeping watch (动态监测): the office's front page (工作台), alerts, screening runs.

Access: `access_alert` answers 404 for "missing" and "not yours" alike; a step the user may not take
is 403. Names are shown in full to those who handle alerts (they go and see the family), masked for
the others. Viewing an alert (a household's personal data) is audited; the steps audit themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.exports import recorded_xlsx
from safetynet.audit.services import audit_record
from safetynet.feeds.models import Kind, Source
from safetynet.intake.permissions import role_may
from safetynet.intake.selectors import applications_for
from safetynet.jobs.models import Job
from safetynet.monitoring import forms
from safetynet.monitoring.alert_selectors import (
    access_alert,
    alerts_for,
    handled_figures_for,
    latest_screening_run,
    my_open_alerts,
    screening_runs_recent,
)
from safetynet.monitoring.alerts import (
    STEP_ASSIGN,
    STEP_CLOSE,
    STEP_VERIFY,
    AlertError,
    AlertNotAllowed,
    alert_assign,
    alert_close,
    alert_may,
    alert_verify_start,
)
from safetynet.monitoring.exports import ALERT_COLUMNS, alert_export_rows
from safetynet.monitoring.models import Alert
from safetynet.monitoring.services import SCREENING_JOB, screening_enqueue
from safetynet.regions.models import Region

# Other modules' pages offered on the front page, when the user may use them (a missing route is skipped).
MODULE_LINKS = [
    ("registry:household_list", "家庭档案", Capability.VIEW_HOUSEHOLDS),
    ("intake:tasks", "我的待办（救助申请）", Capability.VIEW_HOUSEHOLDS),
    ("gridwork:mine", "网格走访", Capability.RECORD_VISITS),
    ("reviews:due_list", "定期核查", Capability.RECORD_REVIEWS),
    ("feeds:import_list", "部门数据导入", Capability.IMPORT_FEEDS),
    ("monitoring:runs", "动态监测筛查", Capability.RUN_SCREENING),
    ("parameters:parameter_list", "政策参数", None),
]


def _require(user: Any, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied("您的角色不能使用此页面")


def _links(user: Any) -> list[tuple[str, str]]:
    found = []
    for name, label, capability in MODULE_LINKS:
        if capability is not None and not has_capability(user, capability):
            continue
        try:
            found.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return found


@login_required
@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """工作台: alerts handled (预警办结率) per township and village of the user's scope, the latest run, links."""
    user, today = request.user, timezone.localdate()
    whole, townships, villages = handled_figures_for(user, today=today)
    run = latest_screening_run() if has_capability(user, Capability.VIEW_HOUSEHOLDS) else None
    raised = run.counts.get("alerts") if run is not None else None
    # villages under their township, folded: a county has some two hundred, too many for one table
    by_township = [(t, [v for v in villages if v.code.startswith(t.code)]) for t in townships]
    context = {"whole": whole, "townships": townships, "villages": villages, "by_township": by_township,
               "today": today,
               "latest_run": run, "latest_alerts": None if raised is None else sum(raised.values()),
               "mine": my_open_alerts(user).count(), "links": _links(user),
               "can_alerts": has_capability(user, Capability.VIEW_HOUSEHOLDS)}
    return render(request, "monitoring/home.html", context)


# ---- alerts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    status: str = ""
    kind: str = ""
    region: str = ""
    overdue: bool = False
    fraud: bool = False

    @classmethod
    def parse(cls, data: Any) -> Filters:
        status = data.get("status", "")
        kind = data.get("kind", "")
        region = data.get("region", "")
        return cls(status=status if status in {"open", *Alert.Status.values} else "",
                   kind=kind if kind in Alert.Kind.values else "",
                   region=region if region.isdigit() and len(region) in (9, 12, 15) else "",
                   overdue=data.get("overdue") == "1", fraud=data.get("fraud") == "1")

    def query(self) -> str:
        """The filters as a query string (for the export link)."""
        pairs = {"status": self.status, "kind": self.kind, "region": self.region,
                 "overdue": "1" if self.overdue else "", "fraud": "1" if self.fraud else ""}
        return urlencode({k: v for k, v in pairs.items() if v})

    def describe(self) -> str:
        """The filters in Chinese, for the export's 说明 sheet."""
        statuses = {"open": "未办结", **dict(Alert.Status.choices)}
        region = Region.objects.filter(code=self.region).first() if self.region else None
        return "；".join(part for part in (
            statuses.get(self.status, ""), dict(Alert.Kind.choices).get(self.kind, ""),
            region.full_name if region else "", "已逾期" if self.overdue else "",
            "疑似虚报/隐瞒" if self.fraud else "") if part)


def _region_choices(user: Any) -> list[tuple[str, str]]:
    """Townships and villages of the user's scope, for the filter."""
    regions = Region.objects.filter(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE])
    own = getattr(user, "region_id", None)
    if not user.is_superuser and own and len(own) > 6:
        regions = regions.filter(code__startswith=own[:9])
    return [(r.code, ("　" if r.level == Region.Level.VILLAGE else "") + r.name) for r in regions.order_by("code")]


@login_required
@never_cache
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Capability.VIEW_HOUSEHOLDS)
    filters = Filters.parse(request.GET)
    today = timezone.localdate()
    alerts = alerts_for(request.user, today=today, status=filters.status, kind=filters.kind, region=filters.region,
                        overdue=filters.overdue, fraud=filters.fraud)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    audit_record(by=request.user, action="search", object_type="alert", object_label="预警列表",
                 detail={"filters": filters.__dict__, "results": page.paginator.count})
    return render(request, "monitoring/alert_list.html", {
        "page": page, "filters": filters, "statuses": Alert.Status.choices, "kinds": Alert.Kind.choices,
        "regions": _region_choices(request.user), "today": today,
        "show_names": has_capability(request.user, Capability.HANDLE_ALERTS),
        "can_export": has_capability(request.user, Capability.EXPORT_PERSONAL_DATA)})


@login_required
@never_cache
@require_GET
def alert_export(request: HttpRequest) -> HttpResponse:
    """预警清单 (Excel) with the list's filters; recorded as an export."""
    _require(request.user, Capability.VIEW_HOUSEHOLDS)
    _require(request.user, Capability.EXPORT_PERSONAL_DATA)
    filters, today = Filters.parse(request.GET), timezone.localdate()
    alerts = alerts_for(request.user, today=today, status=filters.status, kind=filters.kind, region=filters.region,
                        overdue=filters.overdue, fraud=filters.fraud)
    rows = alert_export_rows(alerts, today=today, show_names=has_capability(request.user, Capability.HANDLE_ALERTS))
    return recorded_xlsx(by=request.user, title="预警清单", columns=ALERT_COLUMNS, rows=rows,
                         filters=filters.describe() or "全部", object_type="alert",
                         detail={"filters": filters.__dict__, "rows": alerts.count()})


@login_required
@never_cache
@require_GET
def alert_mine(request: HttpRequest) -> HttpResponse:
    """我的预警: the owner's open alerts, as cards that fit a phone (375 px)."""
    _require(request.user, Capability.HANDLE_ALERTS)
    return render(request, "monitoring/alert_mine.html",
                  {"alerts": list(my_open_alerts(request.user)), "today": timezone.localdate()})


STEPS: dict[str, tuple[str, type[forms.AlertStepForm]]] = {
    "assign": (STEP_ASSIGN, forms.AssignForm), "verify": (STEP_VERIFY, forms.VerifyForm),
    "close": (STEP_CLOSE, forms.CloseForm)}
OFFERED_IN = {"assign": (Alert.Status.NEW, Alert.Status.ASSIGNED), "verify": (Alert.Status.ASSIGNED,),
              "close": (Alert.Status.VERIFYING,)}


def _step_forms(user: Any, alert: Alert, bound: tuple[str, forms.AlertStepForm] | None) -> list[dict[str, Any]]:
    shown = []
    for name, (label, form_class) in STEPS.items():
        url = reverse(f"monitoring:alert_{name}", args=[alert.pk])
        if bound is not None and bound[0] == name:
            shown.append({"name": name, "label": label, "form": bound[1], "url": url})
        elif alert.status in OFFERED_IN[name] and alert_may(user, alert, label):
            shown.append({"name": name, "label": label, "form": form_class(alert=alert, prefix=name), "url": url})
    return shown


def _fact_rows(alert: Alert) -> list[dict[str, Any]]:
    sources, kinds = dict(Source.choices), dict(Kind.choices)
    return [{**f, "source": sources.get(f.get("source"), f.get("source")), "kind": kinds.get(f.get("kind"), f.get("kind"))}
            for f in alert.evidence.get("facts", [])]


def _detail(request: HttpRequest, alert: Alert, bound: tuple[str, forms.AlertStepForm] | None = None,
            status: int = 200) -> HttpResponse:
    is_open = alert.status != Alert.Status.CLOSED
    # the family's application in progress, if any (a second one is not what the alert asks for)
    pending = (applications_for(request.user, household=alert.household, open_only=True).order_by("-pk").first()
               if is_open else None)
    context = {"alert": alert, "steps": _step_forms(request.user, alert, bound), "today": timezone.localdate(),
               "show_names": has_capability(request.user, Capability.HANDLE_ALERTS),
               "facts": _fact_rows(alert), "pending_application": pending,
               "may_apply": is_open and pending is None and role_may(request.user, "create")}
    return render(request, "monitoring/alert_detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def alert_detail(request: HttpRequest, alert_pk: int) -> HttpResponse:
    alert = access_alert(request.user, alert_pk)
    audit_record(by=request.user, action="view", object_type="alert", object_id=alert.pk,
                 object_label=f"{alert.get_kind_display()} 户{alert.household.code}", region_code=alert.region_id)
    return _detail(request, alert)


def _run_step(name: str, form: Any, alert: Alert, user: Any) -> None:
    data = form.cleaned_data
    if name == "assign":
        alert_assign(alert=alert, to=data["to"], by=user, version=data["version"])
    elif name == "verify":
        alert_verify_start(alert=alert, by=user, version=data["version"])
    else:
        alert_close(alert=alert, by=user, outcome=data["outcome"], reason=data["reason"], on=data["on"],
                    version=data["version"], application=data["application"])


@login_required
@require_POST
def alert_act(request: HttpRequest, alert_pk: int, step: str) -> HttpResponse:
    alert = access_alert(request.user, alert_pk)
    label, form_class = STEPS[step]
    if not alert_may(request.user, alert, label):
        raise PermissionDenied(f"您不能{label}该预警")
    form = form_class(request.POST, alert=alert, prefix=step)
    if form.is_valid():
        try:
            _run_step(step, form, alert, request.user)
        except AlertNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except AlertError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"已{label}（{alert.get_kind_display()}，{alert.get_status_display()}）")
            return redirect("monitoring:alert_detail", alert_pk=alert.pk)
    return _detail(request, access_alert(request.user, alert_pk), bound=(step, form), status=422)


# ---- screening runs ------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    """筛查: the recent runs and, for county staff, a run on demand as a background job."""
    _require(request.user, Capability.RUN_SCREENING)
    form = forms.ScreeningStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screening_enqueue(by=request.user, on=form.cleaned_data["on"])
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已发起筛查，后台运行中；完成后结果和新预警见下表")
            return redirect("monitoring:runs")
    jobs = Job.objects.filter(kind=SCREENING_JOB).order_by("-pk")[:5]
    kinds = dict(Alert.Kind.choices)
    rows = [(run, None if "alerts" not in run.counts else "；".join(
        f"{kinds.get(k, k)} {n} 条" for k, n in sorted(run.counts["alerts"].items())) or "无")
        for run in screening_runs_recent()]
    return render(request, "monitoring/runs.html", {"form": form, "rows": rows, "jobs": jobs},
                  status=422 if request.method == "POST" else 200)
