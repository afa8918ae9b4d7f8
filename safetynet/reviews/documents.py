"""The 风险消除 notice on paper, for the village board: the masked text and figures, nothing else (DOMAIN §6)."""

from __future__ import annotations

from safetynet.intake.documents import DocumentUnavailable, render_paper
from safetynet.regions.models import Region
from safetynet.reviews.models import RiskElimination

NO_NOTICE = "该户尚未开始风险消除公示，不能打印公示"


def elimination_notice_pdf(case: RiskElimination) -> bytes:
    if not case.notice_text or case.publicity_start is None:
        raise DocumentUnavailable(NO_NOTICE)
    names = dict(Region.objects.filter(code__in=[case.region_id[:12], case.region_id[:9]]).values_list("code", "name"))
    covered = (case.assessment.get("figures") or {}).get("counted_members") or len(case.document.get("members", []))
    context = {"title": "风险消除公示", "case": case, "village": names.get(case.region_id[:12], ""),
               "township": names.get(case.region_id[:9], ""), "covered": covered}
    return render_paper("reviews/pdf/elimination_notice.html", context, header_right="公示材料",
                        footer_left="村（社区）公示栏张贴")
