"""Job pages: the progress fragment (htmx polling), a job's page, and running a stopped job again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from safetynet.jobs.selectors import access_job
from safetynet.jobs.services import JobError, job_rerun


@login_required
@require_GET
def job_progress(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = access_job(request.user, job_pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.finished and request.GET.get("reload_when_done"):
        response["HX-Refresh"] = "true"  # the page around the bar shows the outcome
    return response


@login_required
@require_GET
def job_detail(request: HttpRequest, job_pk: int) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": access_job(request.user, job_pk)})


@login_required
@require_POST
def job_rerun_view(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = access_job(request.user, job_pk)
    try:
        job_rerun(job, by=request.user)
    except JobError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "任务已重新排队")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("jobs:job_detail", job_pk=job.pk)
