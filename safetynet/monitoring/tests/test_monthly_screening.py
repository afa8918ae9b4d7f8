"""每月定期筛查 without cron: the worker started by `make run` (jobs_worker --schedule) runs one screening with
alerts per calendar month."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

from safetynet.jobs.models import Job
from safetynet.monitoring.jobs import monthly_screening
from safetynet.monitoring.models import ScreeningRun
from safetynet.monitoring.services import SCREENING_JOB

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_monthly_screening_is_queued_once_a_month(cast, household_a):
    # when: the worker looks on 1 September, then again the same day
    first = monthly_screening(datetime(2025, 9, 1, 2, 0, tzinfo=SHANGHAI))
    again = monthly_screening(datetime(2025, 9, 1, 2, 1, tzinfo=SHANGHAI))
    # then: one job, as of that day, started by no one (定时任务)
    assert first is not None and again is None
    assert first.kind == SCREENING_JOB and first.args == {"on": "2025-09-01"} and first.created_by is None
    assert Job.objects.filter(kind=SCREENING_JOB).count() == 1


def test_a_scheduling_worker_runs_it_and_waits_for_next_month(cast, household_a):
    # when: the worker with --schedule runs until its queue is empty
    call_command("jobs_worker", "--until-empty", "--schedule", stdout=StringIO())
    # then: this month's screening ran, with alerts, started by the schedule
    run = ScreeningRun.objects.get()
    assert run.status == ScreeningRun.Status.DONE and "alerts" in run.counts and run.started_by is None
    # and within the same month nothing more is queued
    assert monthly_screening(datetime.now(SHANGHAI)) is None


def test_nothing_is_queued_without_households(cast, db):
    assert monthly_screening(datetime(2025, 9, 1, 2, 0, tzinfo=SHANGHAI)) is None


def test_nothing_is_queued_while_a_screening_started_by_hand_waits(cast, household_a):
    from datetime import date

    from safetynet.monitoring.services import screening_enqueue

    screening_enqueue(by=cast["county_civil"], on=date(2025, 9, 1))
    assert monthly_screening(datetime(2025, 9, 1, 2, 0, tzinfo=SHANGHAI)) is None
    assert Job.objects.filter(kind=SCREENING_JOB).count() == 1
