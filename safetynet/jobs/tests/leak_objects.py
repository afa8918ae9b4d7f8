"""Jobs belong to whoever started them, not to a region: access is tested in test_jobs.py."""

PROVIDES: set[str] = set()
NOT_REGIONAL = {"jobs:job_detail", "jobs:job_progress", "jobs:job_rerun"}


def leak_args(household: object) -> dict:
    return {}
