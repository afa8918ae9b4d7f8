"""Writes of grid work: recording a visit, and what a visit leads to (an alert raised or closed).

A visit is written with its photos in one step (`atomic_with_uploads`: a refused visit leaves no photo
on disk). Alerts are raised and closed through the monitoring app's functions, so their owners,
deadlines and the "never twice while open" rule stay in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.services import audit_record
from safetynet.gridwork.models import CHECKLIST, Check, GridVisit, GridVisitPhoto
from safetynet.intake.models import Application
from safetynet.intake.permissions import region_covers
from safetynet.intake.uploads import atomic_with_uploads, upload_check, upload_store
from safetynet.monitoring.alerts import (
    STEP_VERIFY,
    AlertError,
    alert_close,
    alert_may,
    alert_raise,
    alert_verify_start,
)
from safetynet.monitoring.models import Alert
from safetynet.registry.models import Household

PHOTO_LABEL = "走访照片"
NOT_ALLOWED = "您的角色不能登记网格走访"
NOT_YOUR_REGION = "该户不在您负责的网格（辖区）内，不能登记走访"
DATE_IN_FUTURE = "走访日期 {on} 晚于今天：请填写实际走访的日期"
CHECK_MISSING = "“{label}”：请选择“有保障”或“有风险”"
RISK_NEEDS_NOTE = "“{label}”选了“有风险”：请在“{label}说明”中写明看到的情况"
PHOTO_NOT_IMAGE = "走访照片只能是 JPEG 或 PNG 图片；“{name}”是 PDF 文件，请用手机拍照或选择照片上传"
ALERT_NOT_OPEN = "所核实的预警不属于该户或已经办结：请刷新页面后重新选择"
FINDING_REQUIRED = "发起预警（主动发现）须写明发现的情况：请在“发现的情况”中填写"
OUTCOME_UNKNOWN = "请选择预警的办理结果（已启动救助申请、已调整救助状态或经核实无需处理）"
REASON_REQUIRED = "办结预警须写明结果说明：请在“结果说明”中填写核实的情况和处理"


# The monitoring app's field names → the visit form's.
ALERT_FIELDS = {"outcome": "close_outcome", "reason": "close_reason", "application": "close_application"}


class GridworkError(Exception):
    """A refused step; str() is Chinese and says how to fix it. `field` names the form field concerned."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class VisitNotAllowed(GridworkError):
    pass


class VisitInvalid(GridworkError):
    pass


@dataclass(frozen=True)
class VisitResult:
    visit: GridVisit
    raised: Alert | None = None  # the alert this visit raised (主动发现)
    already_open: Alert | None = None  # not raised: this open 走访发现 alert of the household exists
    closed: Alert | None = None  # the alert this visit verified, now closed


def _require_may_visit(by: Any, household: Household) -> None:
    if not has_capability(by, Capability.RECORD_VISITS):
        raise VisitNotAllowed(NOT_ALLOWED)
    if not region_covers(by, household.region_id):
        raise VisitNotAllowed(NOT_YOUR_REGION)


def _visit_date(on: date | None) -> date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise VisitInvalid(DATE_IN_FUTURE.format(on=on), field="visited_on")
    return on


def checklist_clean(checks: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """The checklist as model fields; every item answered, and a risk always described."""
    fields: dict[str, Any] = {}
    for item, label in CHECKLIST.items():
        answer, note = checks.get(item, ("", ""))
        if answer not in Check.values:
            raise VisitInvalid(CHECK_MISSING.format(label=label), field=item)
        note = (note or "").strip()
        if answer == Check.RISK and not note:
            raise VisitInvalid(RISK_NEEDS_NOTE.format(label=label), field=f"{item}_note")
        fields[item], fields[f"{item}_note"] = answer, note
    return fields


def _photos_check(photos: Sequence[UploadedFile]) -> None:
    for photo in photos:
        if upload_check(photo, label=PHOTO_LABEL) == ".pdf":
            raise VisitInvalid(PHOTO_NOT_IMAGE.format(name=(photo.name or "").rsplit("/", 1)[-1][:80]),
                               field="photos")


def _require_open_alert(alert: Alert | None, household: Household) -> None:
    if alert is not None and (alert.household_id != household.pk or alert.status == Alert.Status.CLOSED):
        raise VisitInvalid(ALERT_NOT_OPEN, field="alert")


@atomic_with_uploads
def grid_visit_record(*, household: Household, by: Any, checks: Mapping[str, tuple[str, str]],
                      visited_on: date | None = None, notes: str = "", photos: Sequence[UploadedFile] = (),
                      alert: Alert | None = None, alert_version: int | None = None) -> GridVisit:
    """走访: the checklist (两不愁三保障, water, labour), notes and photos of one visit to `household`.

    `alert` is the alert the visit went to verify (by alert): an assigned alert moves to 核实中 (its
    owner is at the door); it stays open until closed with an outcome.
    """
    _require_may_visit(by, household)
    on = _visit_date(visited_on)
    fields = checklist_clean(checks)
    _photos_check(photos)  # refuse a bad file before anything is written
    _require_open_alert(alert, household)
    visit = GridVisit.objects.create(household=household, region_id=household.region_id, visited_on=on, by=by,
                                     notes=(notes or "").strip(), alert=alert, **fields)
    if alert is not None and alert.status == Alert.Status.ASSIGNED and alert_may(by, alert, STEP_VERIFY):
        _verify_start(alert, by=by, on=on, version=alert_version)
    for photo in photos:
        row = GridVisitPhoto(visit=visit, original_name=(photo.name or "").rsplit("/", 1)[-1][:100])
        upload_store(row.file, f"photo{upload_check(photo, label=PHOTO_LABEL)}", photo)
        row.save()
    audit_record(by=by, action="create", object_type="grid_visit", object_id=visit.pk,
                 object_label=f"网格走访（户{household.code}）", region_code=household.region_id,
                 detail={"visited_on": on.isoformat(), "risks": [i for i in CHECKLIST if fields[i] == Check.RISK],
                         "photos": len(photos), "alert": alert.pk if alert else None})
    return visit


def _verify_start(alert: Alert, *, by: Any, on: date, version: int | None) -> None:
    try:
        alert_verify_start(alert=alert, by=by, on=on, version=version)
    except AlertError as error:
        raise VisitInvalid(str(error), field="alert") from error


def _open_visit_finding(household: Household) -> Alert | None:
    return (Alert.objects.filter(household=household, kind=Alert.Kind.VISIT_FINDING, code="")
            .exclude(status=Alert.Status.CLOSED).first())


@transaction.atomic
def grid_visit_raise_alert(*, visit: GridVisit, by: Any, finding: str) -> tuple[Alert | None, Alert | None]:
    """主动发现: an alert of kind 走访发现 from what the visit found; (raised, already open).

    One open 走访发现 alert per household: a second finding while one is open is not raised again
    (the open alert's owner verifies the household as a whole); the open one is returned instead.
    """
    _require_may_visit(by, visit.household)
    finding = (finding or "").strip()
    if not finding:
        raise VisitInvalid(FINDING_REQUIRED, field="finding")
    evidence = {"text": finding, "visit": visit.pk, "risks": visit.risks}
    raised = alert_raise(household=visit.household, kind=Alert.Kind.VISIT_FINDING, code="", evidence=evidence,
                         on=visit.visited_on, by=by)
    if raised is None:
        return None, _open_visit_finding(visit.household)
    GridVisit.objects.filter(pk=visit.pk).update(raised_alert=raised)
    visit.raised_alert = raised
    return raised, None


@transaction.atomic
def grid_visit_close_alert(*, visit: GridVisit, by: Any, outcome: str, reason: str,
                           application: Application | None = None) -> Alert:
    """Close the alert the visit verified, with its outcome (办结), on the day of the visit.

    The visit already moved the alert to 核实中 in the same transaction, so the page's version is not
    asked again here (the row is locked by the monitoring app)."""
    _require_may_visit(by, visit.household)
    if visit.alert is None or visit.alert.status == Alert.Status.CLOSED:
        raise VisitInvalid(ALERT_NOT_OPEN, field="alert")
    if outcome not in Alert.Outcome.values:
        raise VisitInvalid(OUTCOME_UNKNOWN, field="close_outcome")
    if outcome != Alert.Outcome.APPLICATION_STARTED and not (reason or "").strip():
        raise VisitInvalid(REASON_REQUIRED, field="close_reason")
    try:
        return alert_close(alert=visit.alert, by=by, outcome=outcome, reason=(reason or "").strip(),
                           on=visit.visited_on, application=application)
    except AlertError as error:
        raise VisitInvalid(str(error), field=ALERT_FIELDS.get(error.field, "")) from error


@atomic_with_uploads
def grid_visit_submit(*, household: Household, by: Any, checks: Mapping[str, tuple[str, str]],
                      visited_on: date | None = None, notes: str = "", photos: Sequence[UploadedFile] = (),
                      alert: Alert | None = None, finding: str = "", close_outcome: str = "",
                      close_reason: str = "", close_application: Application | None = None,
                      alert_version: int | None = None) -> VisitResult:
    """The visit page's one submit: record the visit, then raise an alert from it (`finding`) and/or
    close the alert it verified (`close_outcome`). All or nothing: a refused close keeps no visit."""
    visit = grid_visit_record(household=household, by=by, checks=checks, visited_on=visited_on, notes=notes,
                              photos=photos, alert=alert, alert_version=alert_version)
    raised = already_open = closed = None
    if finding.strip():
        raised, already_open = grid_visit_raise_alert(visit=visit, by=by, finding=finding)
    if close_outcome:
        closed = grid_visit_close_alert(visit=visit, by=by, outcome=close_outcome, reason=close_reason,
                                        application=close_application)
    return VisitResult(visit=visit, raised=raised, already_open=already_open, closed=closed)
