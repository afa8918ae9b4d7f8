"""The job queue: enqueue, claim once, run, fail, recover a dead run, run again; who sees a job."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safetynet.jobs.models import Job
from safetynet.jobs.services import (
    JobError,
    job_claim_next,
    job_enqueue,
    job_handler,
    job_rerun,
    jobs_recover,
    jobs_run_pending,
)

seen: list[Any] = []


@job_handler("test.count")
def _count(job: Job, progress: Any) -> dict:
    for i in range(job.args["n"]):
        progress(i + 1, job.args["n"], "计数")
    return {"counted": job.args["n"]}


@job_handler("test.refuse", on_interrupt=lambda job: seen.append(job.pk))
def _refuse(job: Job, progress: Any) -> dict:
    raise JobError("文件有误，请修改后重试")


@job_handler("test.crash")
def _crash(job: Job, progress: Any) -> dict:
    raise KeyError("secret-id-220821")


def test_a_queued_job_runs_once_and_records_its_result(cast):
    # given
    job = job_enqueue("test.count", by=cast["county_civil"], label="计数", args={"n": 5})
    # when
    ran = jobs_run_pending()
    # then
    job.refresh_from_db()
    assert ran == 1 and job.status == Job.Status.DONE and job.result == {"counted": 5}
    assert (job.done, job.total, job.attempts) == (5, 5, 1) and job.finished_at
    assert jobs_run_pending() == 0


def test_a_job_is_claimed_by_one_worker_only(cast):
    job_enqueue("test.count", by=cast["county_civil"], label="计数", args={"n": 1})
    first = job_claim_next(worker="w1")
    assert first is not None and first.worker == "w1"
    assert job_claim_next(worker="w2") is None


def test_a_handler_error_is_shown_in_chinese_and_an_internal_error_hides_its_detail(cast):
    refused = job_enqueue("test.refuse", by=cast["county_civil"], label="拒绝", args={})
    crashed = job_enqueue("test.crash", by=cast["county_civil"], label="崩溃", args={})
    jobs_run_pending()
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == Job.Status.FAILED and refused.error == "文件有误，请修改后重试"
    assert crashed.status == Job.Status.FAILED and "220821" not in crashed.error and "内部错误" in crashed.error


def test_a_running_job_whose_process_is_gone_is_marked_interrupted_and_can_run_again(cast):
    # given: a job claimed by a process that no longer exists on this machine
    from safetynet.jobs.services import worker_name

    job = job_enqueue("test.refuse", by=cast["county_civil"], label="中断", args={})
    host = worker_name().rpartition(":")[0]
    job_claim_next(worker=f"{host}:999999999")
    alive = job_enqueue("test.count", by=cast["county_civil"], label="在跑", args={"n": 1})
    job_claim_next(worker=worker_name())
    # when
    interrupted = jobs_recover()
    # then
    job.refresh_from_db()
    alive.refresh_from_db()
    assert [j.pk for j in interrupted] == [job.pk] and job.status == Job.Status.INTERRUPTED
    assert "中断" in job.error and seen[-1] == job.pk
    assert alive.status == Job.Status.RUNNING
    job_rerun(job, by=cast["county_civil"])
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.error == ""
    with pytest.raises(JobError):
        job_rerun(alive, by=cast["county_civil"])


def test_a_job_is_seen_by_whoever_started_it_only(client, cast):
    job = job_enqueue("test.count", by=cast["county_civil"], label="计数", args={"n": 2})
    client.force_login(cast["county_civil"])
    page = client.get(reverse("jobs:job_progress", args=[job.pk]))
    assert page.status_code == 200 and "排队中" in page.content.decode() and 'hx-trigger="every 1s"' in page.content.decode()
    for other in ("county_rural", "dept_medical", "clerk_a"):
        client.force_login(cast[other])
        for name in ("jobs:job_detail", "jobs:job_progress"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.post(reverse("jobs:job_rerun", args=[job.pk])).status_code == 404


def test_the_progress_bar_stops_polling_when_the_job_is_done(client, cast):
    job = job_enqueue("test.count", by=cast["county_civil"], label="计数", args={"n": 2})
    jobs_run_pending()
    client.force_login(cast["county_civil"])
    html = client.get(reverse("jobs:job_progress", args=[job.pk])).content.decode()
    assert "已完成" in html and "100%" in html and "hx-trigger" not in html
