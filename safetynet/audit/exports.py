"""A list of personal data downloaded as Excel, recorded as an export (个人信息保护法: every export on record)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from safetynet.audit.services import audit_record
from safetynet.core.spreadsheets import XLSX, Column, table_xlsx


def recorded_xlsx(*, by: Any, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], filters: str,
                  object_type: str, detail: dict[str, Any]) -> HttpResponse:
    """The list as `<title>-<date>.xlsx` (a sheet `title`, and 说明: who, when, which filters), and its export
    in the audit log (`detail`: the filters and the row count, never a name or an ID number)."""
    now = timezone.localtime()
    data = table_xlsx(sheet=title, columns=columns, rows=rows, about=[
        ("内容", title), ("导出人", by), ("导出时间", now.strftime("%Y-%m-%d %H:%M")), ("筛选条件", filters)])
    audit_record(by=by, action="export", object_type=object_type, object_label=f"{title}（Excel）", detail=detail)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=f"{title}-{now:%Y%m%d}.xlsx")
    return response
