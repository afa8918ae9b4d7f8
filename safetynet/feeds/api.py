"""Department feeds over HTTP (DOMAIN §4: files or the API): a department's system posts the same file a
clerk would upload, and polls its import. The same service as the upload page — history, hash, audit,
all-or-nothing, the same file twice adds nothing — so the API is only a second door to it.

`POST /api/v1/feeds/<source>` with the file as the body (CSV or .xlsx; `?name=` its file name) queues the
import and answers 202 with where to follow it; `GET /api/v1/feeds/imports/<id>` is its status and counts.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from safetynet.accounts.api_auth import api_authenticated
from safetynet.core.document import FieldError
from safetynet.core.jsonapi import error_response, json_errors, json_response, method_not_allowed
from safetynet.feeds import openapi  # noqa: F401  (documents these endpoints in /api/v1/openapi.json)
from safetynet.feeds.access import access_feed_import, may_import
from safetynet.feeds.models import FeedImport, Source
from safetynet.feeds.services import MAX_FILE_BYTES, TOO_LARGE, feed_import_start
from safetynet.jobs.services import JobError

UNKNOWN_SOURCE = "没有数据来源“{source}”；可用的有：{known}"
NOT_YOURS = "您无权导入{label}的数据"


def import_json(feed_import: FeedImport) -> dict[str, Any]:
    return {
        "id": feed_import.pk, "source": feed_import.source, "file_name": feed_import.file_name,
        "sha256": feed_import.file_sha256, "status": feed_import.status,
        "status_label": feed_import.get_status_display(),
        "rows": {"total": feed_import.rows_total, "added": feed_import.rows_added,
                 "duplicate": feed_import.rows_duplicate, "unmatched": feed_import.rows_unmatched,
                 "invalid": feed_import.rows_invalid},
        "error": feed_import.error,
        "url": reverse("feeds_api:import_status", args=[feed_import.pk]),
        "page": reverse("feeds:import_detail", args=[feed_import.pk]),
        "report": reverse("feeds:import_report", args=[feed_import.pk]) if feed_import.report_file else None,
    }


@api_authenticated
@json_errors
def import_create(request: HttpRequest, source: str) -> HttpResponse:
    if request.method != "POST":
        return method_not_allowed(request, ["POST"])
    if source not in Source.values:
        return error_response(404, [FieldError("source", UNKNOWN_SOURCE.format(
            source=source, known="、".join(Source.values)))])
    if not may_import(request.user, source):
        return error_response(403, [FieldError("source", NOT_YOURS.format(label=Source(source).label))])
    name = (request.GET.get("name") or f"{source}-api.csv")[:200]
    # Read from the stream: `request.body` stops at Django's 2.5 MB for in-memory bodies, a county file is larger.
    data = request.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return error_response(413, [FieldError("body", TOO_LARGE)])
    try:
        feed_import = feed_import_start(source=source, file_name=name, data=data, by=request.user)
    except JobError as error:
        return error_response(400, [FieldError("body", str(error))])
    return json_response(import_json(feed_import), status=202)


@api_authenticated
@json_errors
def import_status(request: HttpRequest, import_pk: int) -> HttpResponse:
    if request.method != "GET":
        return method_not_allowed(request, ["GET"])
    try:
        feed_import = access_feed_import(request.user, import_pk)
    except Http404:
        return error_response(404, [FieldError("id", "未找到该导入记录，或您无权查看")])
    return json_response(import_json(feed_import))
