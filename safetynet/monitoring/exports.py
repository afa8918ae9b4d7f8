"""预警清单 as Excel: the alert list with the filters on screen, as the office passes it on to townships.

Names as the list page shows them (in full for roles that handle alerts, else surname + *); ID numbers
always masked (DOMAIN §6: internally the first 6 and last 4). The view records every export.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from safetynet.core.idnumber import mask_id_number, mask_name
from safetynet.monitoring.models import Alert
from safetynet.regions.models import Region

ALERT_COLUMNS = [("预警编号", 10), ("预警类型", 18), ("户编号", 18), ("户主", 10), ("相关成员", 10),
                 ("相关成员身份证号", 20), ("乡镇（街道）", 14), ("村（网格）", 18), ("依据", 60), ("疑似虚报/隐瞒", 8),
                 ("预警日期", 12), ("办理期限", 12), ("逾期", 6), ("状态", 8), ("责任人", 10), ("办理结果", 16),
                 ("结果说明", 30), ("办结日期", 12)]


def alert_export_rows(alerts: QuerySet[Alert], *, today: date, show_names: bool) -> Iterator[tuple[Any, ...]]:
    """One row per alert, in the list's order, read in chunks (a county's whole list fits)."""
    townships = dict(Region.objects.filter(level=Region.Level.TOWNSHIP).values_list("code", "name"))
    name = (lambda n: n) if show_names else mask_name
    for alert in alerts.select_related("region__parent").iterator(chunk_size=2000):
        member = alert.member
        open_ = alert.status != Alert.Status.CLOSED
        yield (alert.pk, alert.get_kind_display(), alert.household.code, name(alert.household.head_name),
               name(member.name) if member else "", mask_id_number(member.id_number) if member else "",
               townships.get(alert.region_id[:9], ""), alert.region.local_name, alert.evidence.get("text", ""),
               "是" if alert.suspected_fraud else "", alert.raised_on, alert.due_on,
               "是" if open_ and alert.due_on < today else "", alert.get_status_display(), alert.owner or "",
               alert.get_outcome_display(), alert.outcome_reason, alert.closed_on)
