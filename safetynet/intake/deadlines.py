"""The case's clock: working days with the office, computed from the dates of its steps.

The whole path counts from 申请 (the case is with the office from that day) and stops while the
family prepares the 补正 materials, so only the office's days count. Nothing is stored: when the
county adds a year's holidays, every due date follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from safetynet.intake.models import Application, CorrectionNotice
from safetynet.intake.workdays import CalendarUnknown, add_workdays, workdays_between
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.params import ParameterSet

PROVISIONAL = "{reason}（期限暂按周一至周五计算）"


@dataclass(frozen=True)
class Clock:
    used: int  # working days with the office so far (up to today, or to the day the case closed)
    limit: int  # procedure.total_workdays, or procedure.extended_workdays once extended
    running: bool  # False while 待补正 and once closed
    due_on: date | None  # the last day of the whole path; None while the clock is stopped or closed
    investigation_due_on: date | None  # 受理 + procedure.investigation_start_workdays
    provisional: bool = False  # a year's holidays are unknown: Monday–Friday assumed
    warning: str = ""


def procedure_value(name: str, *, region: str, on: date, params: ParameterSet | None = None) -> int:
    """A `procedure.*` parameter in force for `region` on `on` (the effective set: files + overlay)."""
    return int((params or effective_parameters()).resolve(f"procedure.{name}", region, on).value or 0)


def _correction(application: Application) -> CorrectionNotice | None:
    try:
        return application.correction
    except CorrectionNotice.DoesNotExist:
        return None


def _clock(application: Application, today: date, *, assume_weekdays: bool, params: ParameterSet) -> Clock:
    region, since = application.region_id, application.submitted_on
    limit = procedure_value("extended_workdays" if application.extended else "total_workdays",
                            region=region, on=since, params=params)
    end = application.closed_on or today
    notice = _correction(application)
    stopped_from = notice.issued_on if notice else None
    resumed_on = notice.closed_on if notice else None
    paused = stopped_from is not None and resumed_on is None
    # Days used before 补正 stopped the clock (all days so far when there was none), then since it restarted.
    used_before = workdays_between(since, min(end, stopped_from) if stopped_from else end,
                                   assume_weekdays=assume_weekdays)
    used_after = workdays_between(resumed_on, end, assume_weekdays=assume_weekdays) if resumed_on else 0
    running = application.is_open and not paused
    left_at_restart = limit - (used_before if stopped_from else 0)
    restart = resumed_on or since
    due = add_workdays(restart, left_at_restart, assume_weekdays=assume_weekdays) if running else None
    investigation_due = None
    if application.accepted_on:
        days = procedure_value("investigation_start_workdays", region=region, on=since, params=params)
        investigation_due = add_workdays(application.accepted_on, days, assume_weekdays=assume_weekdays)
    return Clock(used=used_before + used_after, limit=limit, running=running, due_on=due,
                 investigation_due_on=investigation_due)


def application_clock(application: Application, *, today: date | None = None,
                      params: ParameterSet | None = None) -> Clock:
    """Working days used, the limit and the due dates of `application` as of `today`.

    A year the calendar does not know yet gives a provisional answer (Monday–Friday) with the
    Chinese instruction to add that year, rather than a page that cannot be shown.
    """
    today, params = today or timezone.localdate(), params or effective_parameters()
    try:
        return _clock(application, today, assume_weekdays=False, params=params)
    except CalendarUnknown as unknown:
        clock = _clock(application, today, assume_weekdays=True, params=params)
        return Clock(**{**clock.__dict__, "provisional": True,
                        "warning": PROVISIONAL.format(reason=unknown)})
