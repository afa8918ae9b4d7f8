"""A department's system posts its file to the API and follows the import: the same service as the page."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.accounts.services import api_token_create
from safetynet.feeds.models import FeedImport, FeedRecord
from safetynet.feeds.tests.conftest import csv_bytes
from safetynet.jobs.services import jobs_run_pending


@pytest.fixture
def token(cast: dict[str, Any]) -> str:
    return api_token_create(user=cast["dept_medical"], name="医保系统")[1]


def post(client: Any, token: str, data: bytes, source: str = "medical", name: str = "医保202512.csv") -> Any:
    return client.post(f"/api/v1/feeds/{source}?name={name}", data=data, content_type="text/csv",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_posted_file_is_imported_and_followed_to_its_counts(client, members, settings, tmp_path, token):
    settings.MEDIA_ROOT = tmp_path
    data = csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "12345.67", ""],
                      [members[1], "", "医疗自付", "2025-04-30", "800.00", ""]], encoding="gbk")
    # when: the medical-insurance system posts its file
    accepted = post(client, token, data)
    # then: accepted and queued, with where to follow it
    assert accepted.status_code == 202
    body = accepted.json()
    assert body["status"] == "queued" and body["file_name"] == "医保202512.csv" and body["sha256"]
    # when: the worker has run it
    jobs_run_pending()
    status = client.get(body["url"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    # then: imported, two rows added, no report
    assert status["status"] == "done" and status["rows"]["added"] == 2 and status["report"] is None
    assert FeedRecord.objects.count() == 2
    # and the same file again adds nothing
    again = post(client, token, data).json()
    jobs_run_pending()
    assert client.get(again["url"], HTTP_AUTHORIZATION=f"Bearer {token}").json()["rows"] == {
        "total": 2, "added": 0, "duplicate": 2, "unmatched": 0, "invalid": 0}
    assert FeedRecord.objects.count() == 2


def test_a_file_with_errors_is_refused_whole_and_points_to_its_report(client, members, settings, tmp_path, token):
    settings.MEDIA_ROOT = tmp_path
    body = post(client, token, csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "abc", ""]])).json()
    jobs_run_pending()
    status = client.get(body["url"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert status["status"] == "rejected" and status["rows"]["invalid"] == 1 and status["report"]
    assert not FeedRecord.objects.exists()


def test_another_departments_source_an_unknown_source_and_an_empty_body_are_refused(
        client, cast, settings, tmp_path, token):
    settings.MEDIA_ROOT = tmp_path
    refused = post(client, token, b"x", source="police")
    assert refused.status_code == 403 and "公安局" in refused.json()["errors"][0]["message"]
    assert post(client, token, b"x", source="nosuch").status_code == 404
    empty = post(client, token, b"")
    assert empty.status_code == 400 and empty.json()["errors"][0]["path"] == "body"
    assert not FeedImport.objects.exists()
    assert client.post("/api/v1/feeds/medical", data=b"x", content_type="text/csv").status_code == 401


def test_an_import_of_another_department_is_not_found(client, cast, members, settings, tmp_path, token):
    settings.MEDIA_ROOT = tmp_path
    other = api_token_create(user=cast["county_civil"], name="核对中心")[1]
    body = post(client, other, csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "1.00", ""]]),
                source="police").json()
    assert client.get(body["url"], HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_the_endpoints_are_in_the_openapi_description(client, token):
    paths = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}").json()["paths"]
    assert "/feeds/{source}" in paths and "/feeds/imports/{id}" in paths
