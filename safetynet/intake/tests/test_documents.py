"""The papers of the one-window path as PDFs: text extracted with pdftotext, checked against the data."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.core.idnumber import mask_id_number
from safetynet.intake import documents, services
from safetynet.intake.models import CATEGORIES, Application, HouseholdStatus
from safetynet.intake.tests.conftest import DAY, new_application, walk
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db
ID_NUMBER = re.compile(r"[1-9][0-9]{16}[0-9X]")
SENSITIVE = ("慢性病", "重特大疾病", "残疾", "肢体", "精神", "智力")


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    # layout spaces and wrapped lines: compare sentences without them
    return re.sub(r"[ \t\n]+", "", out.stdout.decode("utf-8"))


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def members_of(application: Application) -> list[dict[str, Any]]:
    return application.declared_document["members"]


def assert_internal_masking(text: str, application: Application) -> None:
    for member in members_of(application):
        assert member["name"] in text and mask_id_number(member["id_number"]) in text
    assert not ID_NUMBER.search(text)


def test_application_form_shows_the_family_with_masked_id_numbers(application: Application) -> None:
    # when
    text = text_of(documents.application_form_pdf(application))
    # then
    assert "社会救助申请表" in text and application.number in text and CATEGORIES["dibao"] in text
    assert_internal_masking(text, application)
    assert cn(application.submitted_on) in text
    assert "申请人签字" in text and "经办人" in text and "盖章" in text and "第1页/共1页" in text


def test_correction_notice_lists_every_missing_item(cast: dict[str, Any]) -> None:
    # given: an application without the signed authorisation
    application = new_application(cast, authorization=False)
    with pytest.raises(documents.DocumentUnavailable):
        documents.correction_notice_pdf(application)
    items = ["核对授权书（全体家庭成员签字）", "户口簿复印件"]
    services.application_correction_request(application=application, by=cast["clerk_a"], items=items,
                                            on=date(2025, 9, 2))
    # when
    text = text_of(documents.correction_notice_pdf(application))
    # then
    assert "补正材料告知书" in text and application.applicant.name in text
    assert all(item in text for item in items)
    assert cn(date(2025, 9, 2)) in text and cn(application.submitted_on) in text and "坦途镇人民政府" in text


def test_home_visit_record_has_staff_observations_and_two_signature_lines(
        application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "visited")
    visit = application.visits.get()
    # when
    text = text_of(documents.home_visit_pdf(visit))
    # then
    assert "入户调查记录" in text and cn(DAY["visited"]) in text
    assert "张伟" in text and "刘芳" in text and visit.observations in text
    assert text.count("调查人员签字") == 2 and "被调查人签字" in text and "1张" in text
    assert_internal_masking(text, application)


def test_publicity_list_shows_only_masked_name_covered_and_amount(
        application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "publicity")
    publicity = application.publicities.get()
    head = application.applicant.name
    # when
    text = text_of(documents.publicity_list_pdf(publicity))
    # then
    assert publicity.masked_name == head[0] + "*" and publicity.masked_name in text
    assert publicity.monthly_amount > 0 and yuan(publicity.monthly_amount) in text
    assert re.search(rf"{re.escape(publicity.masked_name)}.*{publicity.covered}", text)
    assert cn(publicity.start_on) in text and cn(publicity.end_on) in text and "公示" in text
    village, grid = (Region.objects.get(code=application.region_id[:n]).name for n in (12, 15))
    assert village in text and grid not in text  # the village board names the village, not the grid
    # never a full name, an ID number (not even masked), an illness or a disability
    for member in members_of(application):
        assert member["name"] not in text and mask_id_number(member["id_number"]) not in text
        assert member["id_number"][-4:] not in text
    assert not ID_NUMBER.search(text) and not any(word in text for word in SENSITIVE)


def test_village_publicity_list_holds_every_running_notice(cast: dict[str, Any]) -> None:
    # given: two households of the same village in 公示
    first, second = new_application(cast), new_application(cast)
    for application in (first, second):
        walk(application, cast, "publicity")
    notices = [a.publicities.get() for a in (first, second)]
    # when
    text = text_of(documents.publicity_list_pdf(notices))
    # then
    assert text.count(notices[0].masked_name) == 2
    assert text.count(yuan(notices[0].monthly_amount)) == 2 and not ID_NUMBER.search(text)


def test_approval_letter_gives_category_amount_and_first_month(
        application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "publicity")
    with pytest.raises(documents.DocumentUnavailable):
        documents.decision_letter_pdf(application)
    services.application_confirm(application=application, by=cast["county_civil"], on=date(2025, 10, 9))
    status = HouseholdStatus.objects.get(application=application)
    # when
    text = text_of(documents.decision_letter_pdf(application))
    # then
    assert "社会救助认定决定书" in text and application.applicant.name in text
    assert mask_id_number(application.applicant.id_number) in text and not ID_NUMBER.search(text)
    assert CATEGORIES["dibao"] in text and status.dibao_monthly > 0
    assert f"月保障金额{yuan(status.dibao_monthly + status.tekun_monthly)}元" in text
    assert status.effective_from == date(2025, 10, 1)
    assert f"自{status.effective_from.year}年{status.effective_from.month}月起" in text
    assert f"保障人数{application.publicities.get().covered}人" in text and cn(date(2025, 10, 9)) in text
    assert "经办人" in text and "审核人" in text and "盖章" in text


def test_refusal_letter_carries_the_written_reasons(application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "publicity")
    reason = "经比对，家庭成员名下有经营性公司"
    services.application_refuse(application=application, by=cast["county_civil"], reason=reason,
                                on=DAY["confirmable"])
    # when
    text = text_of(documents.decision_letter_pdf(application))
    # then
    assert "不予认定决定书" in text and reason in text and "不予确认" in text
    assert "月保障金额" not in text and cn(DAY["confirmable"]) in text and application.applicant.name in text


def test_a_clerk_of_another_township_cannot_download_the_form(
        client: Any, application: Application, cast: dict[str, Any]) -> None:
    # given
    url = reverse("intake:application_form_pdf", args=[application.pk])
    client.force_login(cast["clerk_b"])
    # when
    response = client.get(url)
    # then
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export", object_type="application").exists()


def test_a_download_is_audited_as_an_export_without_id_numbers(
        client: Any, application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "visited")
    visit = application.visits.get()
    client.force_login(cast["reviewer_a"])
    # when
    response = client.get(reverse("intake:home_visit_pdf", args=[application.pk, visit.pk]))
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "入户调查记录" in text_of(response.content)
    event = AuditEvent.objects.get(action="export", object_type="application")
    assert (event.object_id, event.actor_username, event.detail["document"]) == (
        str(application.pk), cast["reviewer_a"].username, "home_visit")
    assert not ID_NUMBER.search(event.object_label + str(event.detail))


def test_the_village_notice_board_on_a_day_is_audited(
        client: Any, application: Application, cast: dict[str, Any]) -> None:
    # given
    walk(application, cast, "publicity")
    url = reverse("intake:village_publicity_pdf", args=[application.region_id[:12]])
    client.force_login(cast["clerk_a"])
    # when
    during = client.get(url, {"on": "2025-09-08"})
    after = client.get(url, {"on": "2025-09-12"})
    # then
    assert during.status_code == 200 and application.publicities.get().masked_name in text_of(during.content)
    assert after.status_code == 404
    assert AuditEvent.objects.filter(action="export", object_type="publicity").count() == 1


def test_refusal_without_publicity_does_not_claim_one(application: Application, cast: dict[str, Any]) -> None:
    # given: the township approved nothing, so the county refuses straight from 分类审核
    walk(application, cast, "reviewing")
    services.application_review_decide(
        application=application, by=cast["reviewer_a"], on=DAY["decided"],
        decisions={"tekun": False, "dibao": False, "dibao_edge": False, "rigid_expense": False,
                   "monitoring_object": False},
        reasons={"dibao": "入户发现家庭有稳定经营收入", "monitoring_object": "不属于监测范围"})
    reason = "同意乡镇审核意见：家庭有稳定经营收入"
    services.application_refuse(application=application, by=cast["county_civil"], reason=reason, on=DAY["decided"])
    # when
    text = text_of(documents.decision_letter_pdf(application))
    # then
    assert reason in text and "公示" not in text and cn(DAY["decided"]) in text
