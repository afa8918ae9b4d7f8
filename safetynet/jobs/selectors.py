"""Reading jobs: a job is seen by whoever started it (and administrators)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from safetynet.jobs.models import Job


def access_job(user: Any, job_pk: int) -> Job:
    """The job, if `user` started it; 404 for both "missing" and "not yours"."""
    jobs = Job.objects.all()
    if not getattr(user, "is_superuser", False):
        jobs = jobs.filter(created_by_id=getattr(user, "pk", None))
    try:
        return jobs.get(pk=job_pk)
    except Job.DoesNotExist:
        raise Http404("未找到该任务，或您无权查看。") from None
