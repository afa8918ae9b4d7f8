"""The reviews pages: Chinese, scoped (404 for not-yours), refused by role (403), audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safetynet.audit.models import AuditEvent
from safetynet.intake.models import HouseholdStatus
from safetynet.intake.services.status import status_version
from safetynet.reviews.models import PeriodicReview, RiskElimination
from safetynet.reviews.tests.conftest import well_off_members


@pytest.fixture
def dibao_a(household_a: Any, give_status: Any) -> Any:
    give_status(household_a, "dibao", since=date(2024, 1, 1))
    return household_a


def test_due_list_shows_the_households_due_in_chinese_and_is_audited(client: Any, cast: Any, dibao_a: Any,
                                                                    household_b: Any, give_status: Any) -> None:
    give_status(household_b, "dibao", since=date(2024, 1, 1))
    client.force_login(cast["clerk_a"])
    response = client.get(reverse("reviews:due_list"))
    text = response.content.decode()
    assert response.status_code == 200 and "定期核查" in text and "已逾期" in text
    assert dibao_a.code in text and household_b.code not in text
    assert "坦途镇 · 坦途村第一网格" in text  # the grid with its village: every village has a 第一网格
    assert AuditEvent.objects.filter(object_type="review_due_list", actor=cast["clerk_a"]).exists()


def test_nav_link_only_for_those_who_record_reviews(client: Any, cast: Any) -> None:
    for user, shown in (("clerk_a", True), ("grid_a", False)):
        client.force_login(cast[user])
        assert (reverse("reviews:due_list") in client.get(reverse("registry:household_list")).content.decode()) is shown


@pytest.mark.parametrize("name", ["reviews:due_list", "reviews:elimination_list"])
def test_lists_refuse_roles_without_the_capability(client: Any, cast: Any, name: str) -> None:
    client.force_login(cast["grid_a"])
    assert client.get(reverse(name)).status_code == 403


def test_household_page_shows_status_beside_the_engine_and_records_a_review(client: Any, cast: Any,
                                                                           dibao_a: Any) -> None:
    client.force_login(cast["reviewer_a"])
    url = reverse("reviews:household_review", args=[dibao_a.pk])
    page = client.get(url).content.decode()
    assert "现行救助状态" in page and "系统按当前家庭信息核算" in page and "下次核查" in page
    assert dibao_a.memberships.first().member.id_number not in page
    response = client.post(url, {"version": status_version(dibao_a.pk), "on": timezone.localdate().isoformat(),
                                 "outcome": "adjust", "reason": "人均收入上升", "categories": ["dibao"],
                                 "dibao_monthly": "500"})
    assert response.status_code == 302
    review = PeriodicReview.objects.get(household=dibao_a)
    assert review.status_after.dibao_monthly == 500 and review.by == cast["reviewer_a"]


def test_a_refused_review_shows_the_reason_on_the_form(client: Any, cast: Any, dibao_a: Any) -> None:
    client.force_login(cast["clerk_a"])
    response = client.post(reverse("reviews:household_review", args=[dibao_a.pk]), {
        "version": status_version(dibao_a.pk), "on": timezone.localdate().isoformat(), "outcome": "taper",
        "reason": "务工"})
    assert response.status_code == 422 and "仍符合低保条件" in response.content.decode()
    assert HouseholdStatus.objects.filter(household=dibao_a).count() == 1


def test_household_of_another_township_is_not_found(client: Any, cast: Any, household_b: Any,
                                                   give_status: Any) -> None:
    give_status(household_b, "dibao", since=date(2024, 1, 1))
    client.force_login(cast["clerk_a"])
    for name in ("reviews:household_review", "reviews:elimination_verify"):
        assert client.get(reverse(name, args=[household_b.pk])).status_code == 404


def test_county_rural_sees_the_page_but_cannot_record_a_review(client: Any, cast: Any, dibao_a: Any) -> None:
    client.force_login(cast["county_rural"])
    url = reverse("reviews:household_review", args=[dibao_a.pk])
    assert "登记核查结果" not in client.get(url).content.decode()
    assert client.post(url, {"outcome": "continue", "reason": "x"}).status_code == 403


def test_elimination_pages_walk_the_path_and_refuse_the_wrong_role(client: Any, cast: Any, make_household: Any,
                                                                  give_status: Any, screening: Any) -> None:
    # given: a tagged household above the line for six monthly runs
    household = make_household(members=well_off_members())
    give_status(household, tag=True, since=date(2025, 1, 1))
    for month in range(1, 7):
        screening(household, date(2026, month, 1), "1500")
    client.force_login(cast["clerk_a"])
    assert household.code in client.get(reverse("reviews:elimination_list")).content.decode()
    # when: verified, then publicised (both by the township)
    response = client.post(reverse("reviews:elimination_verify", args=[household.pk]), {
        "on": "2026-07-01", "staff_names": "张伟\n刘芳", "findings": "务工收入稳定"})
    case = RiskElimination.objects.get(household=household)
    assert response.status_code == 302
    client.post(reverse("reviews:elimination_act", args=[case.pk, "publicity"]),
                {"publicity-version": case.version, "publicity-on": "2026-07-02"})
    case.refresh_from_db()
    assert case.state == RiskElimination.State.PUBLICITY
    # then: the township cannot confirm; county rural affairs can
    confirm = {"confirm-version": case.version, "confirm-on": "2026-07-09", "confirm-reason": ""}
    assert client.post(reverse("reviews:elimination_act", args=[case.pk, "confirm"]), confirm).status_code == 403
    client.force_login(cast["county_rural"])
    page = client.get(reverse("reviews:elimination_detail", args=[case.pk])).content.decode()
    assert "确认风险消除" in page and "赵*户" in page
    assert client.post(reverse("reviews:elimination_act", args=[case.pk, "confirm"]), confirm).status_code == 302
    case.refresh_from_db()
    assert case.state == RiskElimination.State.CONFIRMED
    review_page = client.get(reverse("reviews:household_review", args=[household.pk])).content.decode()
    assert "风险已消除 2026-07-09" in review_page


def test_the_due_list_exports_to_excel_with_its_filters_and_the_export_is_recorded(
        client: Any, cast: Any, dibao_a: Any, household_b: Any, give_status: Any) -> None:
    import io

    from python_calamine import CalamineWorkbook

    # given: a 低保 household in each township, both overdue
    give_status(household_b, "dibao", since=date(2024, 1, 1))
    client.force_login(cast["clerk_a"])
    assert 'href="/reviews/export.xlsx?category=dibao"' in client.get(
        reverse("reviews:due_list"), {"category": "dibao"}).content.decode()
    # when
    response = client.get(reverse("reviews:due_list_export"), {"category": "dibao"})
    # then: her township's household only, with its due date and the overdue mark
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("定期核查名单").to_python()
    assert [r[0] for r in rows[1:]] == [dibao_a.code]
    row = dict(zip(rows[0], rows[1]))
    assert row["户主"] == dibao_a.head_name and row["救助类别"] == "最低生活保障（低保）"
    assert row["村（网格）"] == "坦途村第一网格" and row["逾期"] == "是" and row["起算依据"] == "认定起"
    assert row["应核查日期"] < date.today() and row["核查间隔（月）"] in ("6", "12")
    event = AuditEvent.objects.get(action="export", object_type="review_due_list", actor=cast["clerk_a"])
    assert event.detail == {"region": "", "category": "dibao", "all": False, "rows": 1}
    # and: the township reviewer records reviews but exports no personal data
    client.force_login(cast["reviewer_a"])
    assert client.get(reverse("reviews:due_list_export")).status_code == 403
    assert "导出Excel" not in client.get(reverse("reviews:due_list")).content.decode()
