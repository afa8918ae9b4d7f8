"""The five papers of the one-window path as A4 PDFs (WeasyPrint, Noto Sans CJK SC).

申请表 · 补正告知书 · 入户调查记录 · 公示名单 · 认定决定书. Internal papers show ID numbers as first 6 + last 4
only; the 公示 list shows the masked name, the number covered and the amount, nothing else about a person
(DOMAIN.md §6). Each function returns the PDF's bytes; the views in views_documents.py audit the download.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from safetynet.core.document import EMPLOYMENT, RELATIONS, RESIDENCES
from safetynet.core.idnumber import mask_id_number
from safetynet.intake.models import (
    CATEGORIES,
    ITEMS,
    TAG_LABEL,
    Application,
    Confirmation,
    HomeVisit,
    Publicity,
)
from safetynet.intake.selectors import visit_corrections
from safetynet.regions.models import Region

PLATFORM = "低收入人口动态监测与常态化帮扶平台"
INTERNAL = "内部资料 · 身份证号已脱敏"
NOT_DECIDED = "该申请尚未办结确认（已生效或不予确认），不能出具认定决定书"
NO_CORRECTION = "该申请没有补正告知，不能出具补正告知书"


class DocumentUnavailable(ValueError):
    """The paper asked for does not exist yet for this application; the message is Chinese."""


@dataclass(frozen=True)
class MemberRow:
    name: str
    relation: str
    id_masked: str
    employment: str
    income: Decimal


def application_form_pdf(application: Application) -> bytes:
    """申请表: the household as declared at 申请 (or 补正), what the family asks for, signature lines."""
    document = application.declared_document or {}
    context = {
        "title": f"申请表 {application.number}", "application": application,
        "members": _member_rows(document), "residence": RESIDENCES.get(document.get("residence", ""), ""),
        "requested": [CATEGORIES[c] for c in application.requested_categories if c in CATEGORIES],
        "tag_label": TAG_LABEL, "assets": document.get("assets") or {},
        "applicant_id": mask_id_number(application.applicant.id_number),
    }
    return render_paper("intake/pdf/application_form.html", context, application=application)


def correction_notice_pdf(application: Application) -> bytes:
    """补正告知书: the one notice listing everything missing; the clock stops until resubmitted."""
    notice = getattr(application, "correction", None)
    if notice is None:
        raise DocumentUnavailable(NO_CORRECTION)
    context = {"title": f"补正告知书 {application.number}", "application": application, "notice": notice,
               "township": _township(application.region_id)}
    return render_paper("intake/pdf/correction_notice.html", context, application=application)


def home_visit_pdf(visit: HomeVisit) -> bytes:
    """入户调查记录: date, staff as signed, what was seen, the household as found, corrections, photos."""
    application = visit.application
    document = (visit.snapshot or {}).get("document") or application.declared_document or {}
    names = list(visit.staff_names) + [""] * max(0, 2 - len(visit.staff_names))
    context = {"title": f"入户调查记录 {application.number}", "application": application, "visit": visit,
               "members": _member_rows(document), "corrections": visit_corrections(visit),
               "photos": [p.original_name or "照片" for p in visit.photos.all()], "staff": names,
               "round": visit.investigation.round, "applicant_id": mask_id_number(application.applicant.id_number)}
    return render_paper("intake/pdf/home_visit.html", context, application=application)


def publicity_list_pdf(publicity: Publicity | Iterable[Publicity]) -> bytes:
    """公示名单 of one notice or of a village's notices: masked name, number covered, amount — nothing else."""
    notices = [publicity] if isinstance(publicity, Publicity) else list(publicity)
    if not notices:
        raise DocumentUnavailable("没有可打印的公示")
    first = notices[0].application
    villages = _names({p.application.region_id[:12] for p in notices})  # a case sits on a grid; show its village
    rows = [{"name": p.masked_name, "village": villages.get(p.application.region_id[:12], ""), "covered": p.covered,
             "items": "、".join(ITEMS[i] for i in p.items if i in ITEMS), "amount": p.monthly_amount}
            for p in notices]
    context = {"title": "拟认定对象公示名单", "rows": rows, "township": _township(first.region_id),
               "start_on": min(p.start_on for p in notices), "end_on": max(p.end_on for p in notices)}
    return render_paper("intake/pdf/publicity_list.html", context, header_right="公示材料",
                   footer_left="公示内容仅含姓名（已隐去名字）、保障人数和金额")


def decision_letter_pdf(application: Application) -> bytes:
    """认定决定书 for the family: each county decision; categories, amount and start month, or the reasons."""
    if application.state not in (Application.State.EFFECTIVE, Application.State.REFUSED):
        raise DocumentUnavailable(NOT_DECIDED)
    confirmations = list(application.confirmations.order_by("on", "pk"))
    status = application.statuses.order_by("-effective_from", "-pk").first()
    publicity = application.publicities.order_by("-start_on", "-pk").first()
    context = {
        "title": f"认定决定书 {application.number}", "application": application, "status": status,
        "approved": [c for c in confirmations if c.confirmed],
        "refused": [{"what": _refused_what(application, c.part), "reason": c.reason}
                    for c in confirmations if not c.confirmed],
        "covered": publicity.covered if publicity else None, "county": _county_name(),
        "decided_on": confirmations[-1].on if confirmations else application.closed_on,
        "applicant_id": mask_id_number(application.applicant.id_number),
        "categories": [CATEGORIES[c] for c in (status.categories if status else []) if c in CATEGORIES],
        "monthly": (status.dibao_monthly + status.tekun_monthly) if status else None,
    }
    return render_paper("intake/pdf/decision_letter.html", context, application=application,
                   footer_left="本决定书送达申请人一份，乡镇、县级部门各存档一份")


def _refused_what(application: Application, part: str) -> str:
    """What a refused part covers, in the family's words: what they asked for (a refusal confirms no items)."""
    if part == Confirmation.Part.TAG:
        return f"纳入{TAG_LABEL}"
    asked = [CATEGORIES[c] for c in application.requested_categories if c in CATEGORIES]
    return "、".join(asked) or "救助类别"


def render_paper(template: str, context: dict[str, Any], *, application: Application | None = None,
                 header_right: str = "", footer_left: str = "") -> bytes:
    """A paper of the county (A4, Noto CJK, the platform's header), from a template extending
    intake/pdf/base.html; other apps' notices use it too."""
    from weasyprint import HTML  # imported on use: loading Pango costs start-up time for every other page

    printed = timezone.localtime()
    if application is not None:
        header_right = header_right or f"申请编号 {application.number} · 户 {application.household.code}"
        footer_left = footer_left or f"{INTERNAL} · 打印于 {printed:%Y-%m-%d %H:%M}"
    html = render_to_string(template, {**context, "header": f"{_county_name()}{PLATFORM}",
                                       "header_right": header_right, "footer_left": footer_left})
    return HTML(string=html).write_pdf()


def _member_rows(document: dict[str, Any]) -> list[MemberRow]:
    rows = []
    for m in document.get("members") or []:
        income = sum((Decimal(str(v or 0)) for k, v in (m.get("income") or {}).items() if k != "excluded"),
                     Decimal(0))
        rows.append(MemberRow(name=m.get("name", ""), relation=RELATIONS.get(m.get("relation", ""), ""),
                              id_masked=mask_id_number(m.get("id_number") or ""),
                              employment=EMPLOYMENT.get(m.get("employment", ""), ""), income=income))
    return rows


def _names(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _township(region_code: str) -> str:
    return Region.objects.filter(code=region_code[:9]).values_list("name", flat=True).first() or ""


def _county_name() -> str:
    county = Region.objects.filter(code=settings.SAFETYNET_COUNTY_CODE).values_list("name", flat=True).first()
    return county or ""


__all__ = ["DocumentUnavailable", "application_form_pdf", "correction_notice_pdf", "decision_letter_pdf",
           "home_visit_pdf", "publicity_list_pdf"]
