"""The 认定依据 panel of a household page and its PDF: what the office reads, prints and signs."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import member_data
from safetynet.audit.models import AuditEvent
from safetynet.core.idnumber import mask_id_number

ON = "2025-08-01"  # household_a is then the reference case 01: 低保, 277.78 元/人·月, 593 元/月


def panel(client: Any, household: Any, on: str | None = ON, **headers: str) -> Any:
    query = {"on": on} if on is not None else {}
    return client.get(reverse("registry:household_assessment", args=[household.pk]), query,
                      headers={"HX-Request": "true", **headers})


def pdf(client: Any, household: Any, on: str = ON) -> Any:
    return client.get(reverse("registry:household_assessment_pdf", args=[household.pk]), {"on": on})


def id_numbers(household: Any) -> list[str]:
    return [m.member.id_number for m in household.memberships.select_related("member")]


def test_the_household_page_loads_the_panel_with_htmx(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["clerk_a"])
    content = client.get(reverse("registry:household_detail", args=[household_a.pk])).content.decode()
    assert "认定依据" in content
    assert f'hx-get="{reverse("registry:household_assessment", args=[household_a.pk])}"' in content


def test_clerk_sees_the_assessment_of_a_household_in_her_township(client: Any, cast: dict[str, Any],
                                                                   household_a: Any) -> None:
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = panel(client, household_a)
    # then: the category, the figures, each rule's verdict and the parameters with status and source
    content = response.content.decode()
    assert response.status_code == 200
    assert "低保对象" in content and "277.78" in content and "593" in content
    assert "人均收入低于低保标准" in content or "低保标准" in content
    assert "符合" in content and "不符合" in content
    assert "待确认" in content and "王建国" in content and "王小明" in content
    assert 'name="on"' in content and f'value="{ON}"' in content


def test_the_panel_shows_masked_id_numbers_only(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["clerk_a"])
    content = panel(client, household_a).content.decode()
    for number in id_numbers(household_a):
        assert number not in content
        assert mask_id_number(number) in content


def test_viewing_the_panel_is_audited_with_its_date(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["grid_a"])
    panel(client, household_a)
    event = AuditEvent.objects.get(action="view", detail__assessment=ON)
    assert event.actor == cast["grid_a"] and event.object_id == str(household_a.pk)
    assert event.object_label == f"户{household_a.code}" and event.region_code == household_a.region_id


def test_household_of_another_township_is_not_found(client: Any, cast: dict[str, Any], household_b: Any) -> None:
    client.force_login(cast["clerk_a"])
    assert panel(client, household_b).status_code == 404
    assert pdf(client, household_b).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["view", "export"]).exists()


def test_the_date_defaults_to_today_and_can_be_changed(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    # given
    client.force_login(cast["clerk_a"])
    # when
    today = panel(client, household_a, on=None)
    earlier = panel(client, household_a, on="2025-03-01")
    # then
    assert today.context["on"] == timezone.localdate()
    assert earlier.context["on"] == date(2025, 3, 1) and 'value="2025-03-01"' in earlier.content.decode()


def test_a_bad_date_is_refused_in_chinese(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["clerk_a"])
    response = panel(client, household_a, on="2025-02-30")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()
    assert not AuditEvent.objects.filter(action="view").exists()


def test_without_htmx_the_panel_is_a_whole_page(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["clerk_a"])
    response = client.get(reverse("registry:household_assessment", args=[household_a.pk]), {"on": ON})
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert "registry/household_assessment.html" in [t.name for t in response.templates]


def test_a_household_nobody_lives_in_says_why_it_cannot_be_assessed(client: Any, cast: dict[str, Any],
                                                                    make_household: Any) -> None:
    # given
    household = make_household(members=[member_data("赵大山", "self", date(1960, 1, 5), co_resident=False)])
    client.force_login(cast["clerk_a"])
    # when
    response = panel(client, household)
    # then
    assert response.status_code == 200 and "无法核算" in response.content.decode()


# --- the PDF ----------------------------------------------------------------------------------------


def pdf_text(response: Any, tmp_path: Path) -> str:
    path = tmp_path / "assessment.pdf"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (make system-deps) is not installed")
def test_the_pdf_holds_the_assessment_in_chinese_with_masked_ids(client: Any, cast: dict[str, Any],
                                                                  household_a: Any, tmp_path: Path) -> None:
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = pdf(client, household_a)
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response, tmp_path)
    assert "认定依据" in text and "低保对象" in text and "经办人" in text and "审核人" in text
    assert household_a.code in text and ON in text
    assert "277.78" in text and "593" in text and re.search(r"第\s*1\s*页", text)
    for number in id_numbers(household_a):
        assert number not in text
        assert mask_id_number(number) in text


def test_downloading_the_pdf_is_audited_as_an_export(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    client.force_login(cast["reviewer_a"])
    response = pdf(client, household_a)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="export")
    assert event.actor == cast["reviewer_a"] and event.detail == {"assessment": ON, "format": "pdf"}


def test_the_panel_uses_values_the_county_added_and_says_so(client: Any, cast: dict[str, Any],
                                                            household_a: Any) -> None:
    # given: the county's official rural standard from 2025-06-01
    from safetynet.parameters.services import parameter_value_add

    parameter_value_add(name="dibao.standard.rural_annual", region="220821", value=Decimal(6000),
                        since=date(2025, 6, 1), status="K", source="镇赉县民政局通知（测试）", reason="正式文件已下发",
                        by=cast["county_civil"])
    client.force_login(cast["clerk_a"])
    # when
    response = panel(client, household_a)
    # then: 500 元/人·月 instead of 460, shown with its source as added by an administrator
    content = response.content.decode()
    assert "500.00" in content and "镇赉县民政局通知（测试）" in content and "管理员追加" in content
