"""Feed imports belong to a department's source, not to a region: their access by department is
tested in test_pages.py (a clerk of another department gets 404 on every import URL)."""

from __future__ import annotations

PROVIDES = {"import_pk", "source"}
NOT_REGIONAL = {"feeds:import_detail", "feeds:import_progress", "feeds:import_rerun", "feeds:import_report",
                "feeds:template", "feeds_api:import_status", "feeds_api:import_create"}


def leak_args(household: object) -> dict:
    from safetynet.feeds.models import FeedImport

    feed_import = FeedImport.objects.order_by("pk").first()
    return {"import_pk": feed_import.pk if feed_import else 1, "source": "medical"}
