"""The pages: the worker's phone page, the visit form (errors in Chinese on their fields), a visit, the plan
list, the household page's block; scoped (the neighbouring grid's worker gets 404) and audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.gridwork import services
from safetynet.gridwork.models import GridVisit
from safetynet.gridwork.tests.conftest import all_secure, form_data, photo
from safetynet.monitoring.alerts import alert_raise
from safetynet.monitoring.models import Alert


def visit_url(household):
    return reverse("gridwork:visit_new", kwargs={"household_pk": household.pk})


def test_the_phone_page_lists_due_households_and_my_open_alerts(client, cast, household_a, give_status):
    # given
    give_status(household_a, ["tekun"])
    alert = alert_raise(household=household_a, kind=Alert.Kind.RISK, code="water", on=date(2025, 9, 1),
                        evidence={"text": "水利部门：该户未通自来水"})
    client.force_login(cast["grid_a"])
    # when
    page = client.get(reverse("gridwork:mine")).content.decode()
    # then
    assert f'id="due-{household_a.pk}"' in page and "从未走访 · 应即走访" in page
    assert f'id="alert-{alert.pk}"' in page and "水利部门：该户未通自来水" in page
    assert f"{visit_url(household_a)}?alert={alert.pk}" in page
    assert 'href="/grid/"' in page and "网格走访" in page  # the navbar link


def test_the_visit_form_is_made_for_a_phone_camera(client, cast, household_a):
    client.force_login(cast["grid_a"])
    page = client.get(visit_url(household_a)).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page and 'type="file"' in page
    for label in ("吃穿不愁", "义务教育", "基本医疗", "住房安全", "饮水安全", "劳动就业"):
        assert f">{label}</legend>" in page
    assert "保存后为该户提出救助申请" in page  # the grid worker may now start an application
    assert AuditEvent.objects.filter(action="view", object_type="household", object_id=str(household_a.pk),
                                     actor=cast["grid_a"]).exists()


def test_posting_a_visit_with_photos(client, cast, household_a):
    client.force_login(cast["grid_a"])
    response = client.post(visit_url(household_a), {**form_data(housing="risk", housing_note="屋顶漏雨"),
                                                     "photos": [photo("a.jpg"), photo("b.jpg")]})
    visit = GridVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("gridwork:visit_detail", args=[visit.pk])
    assert visit.photos.count() == 2 and visit.housing_note == "屋顶漏雨"
    page = client.get(response["Location"]).content.decode()
    assert "屋顶漏雨" in page and reverse("gridwork:visit_photo", args=[visit.pk, visit.photos.first().pk]) in page
    assert client.get(reverse("gridwork:visit_photo", args=[visit.pk, visit.photos.first().pk])).status_code == 200


def test_every_checklist_error_is_shown_on_its_field_in_chinese(client, cast, household_a):
    client.force_login(cast["grid_a"])
    data = form_data(medical="risk", raise_alert="on")
    del data["water"]
    response = client.post(visit_url(household_a), data)
    page = response.content.decode()
    assert response.status_code == 422 and GridVisit.objects.count() == 0
    assert "请先改正以下 3 处" in page
    assert "“饮水安全”：请选择“有保障”或“有风险”" in page
    assert "“基本医疗”选了“有风险”：请在“基本医疗说明”中写明看到的情况" in page
    assert "发起预警（主动发现）须写明发现的情况" in page
    assert 'href="#id_water"' in page and 'id="id_medical_note-error"' in page


def test_a_pdf_photo_is_refused_on_the_photo_field(client, cast, household_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safetynet.gridwork.tests.conftest import PDF

    client.force_login(cast["grid_a"])
    response = client.post(visit_url(household_a), {**form_data(), "photos": [SimpleUploadedFile("x.pdf", PDF)]})
    assert response.status_code == 422 and "走访照片只能是 JPEG 或 PNG 图片" in response.content.decode()


def test_raise_from_the_visit_form_then_not_twice(client, cast, household_a):
    client.force_login(cast["grid_a"])
    client.post(visit_url(household_a), form_data(raise_alert="on", finding="老人独居，行动不便"))
    alert = Alert.objects.get(kind=Alert.Kind.VISIT_FINDING)
    assert alert.evidence["text"] == "老人独居，行动不便"
    response = client.post(visit_url(household_a), form_data(raise_alert="on", finding="再次发现"), follow=True)
    assert "未重复发起" in response.content.decode()
    assert Alert.objects.filter(kind=Alert.Kind.VISIT_FINDING).count() == 1


def test_raise_after_the_visit_from_its_page(client, cast, household_a):
    result = services.grid_visit_submit(household=household_a, by=cast["grid_a"], checks=all_secure(),
                                        visited_on=date(2025, 9, 3))
    client.force_login(cast["grid_a"])
    url = reverse("gridwork:visit_raise_alert", args=[result.visit.pk])
    client.post(url, {"finding": "回访路上想起：孩子近一周未上学"})
    result.visit.refresh_from_db()
    assert result.visit.raised_alert.kind == Alert.Kind.VISIT_FINDING


def test_closing_the_alert_from_the_visit_form(client, cast, household_a):
    alert = alert_raise(household=household_a, kind=Alert.Kind.RISK, code="water", on=date(2025, 9, 1),
                        evidence={"text": "未通自来水"})
    client.force_login(cast["grid_a"])
    page = client.get(f"{visit_url(household_a)}?alert={alert.pk}").content.decode()
    assert "核实预警：新增风险" in page and "经核实无需处理" in page
    # a missing reason is named, and nothing is saved
    response = client.post(visit_url(household_a), form_data(alert=alert.pk, alert_version=alert.version,
                                                             close_outcome="no_action"))
    assert response.status_code == 422 and "办结预警须写明结果说明" in response.content.decode()
    response = client.post(visit_url(household_a), form_data(alert=alert.pk, alert_version=alert.version,
                                                             close_outcome="no_action", close_reason="已通水"))
    alert.refresh_from_db()
    assert response.status_code == 302 and alert.status == Alert.Status.CLOSED and alert.outcome_reason == "已通水"


def test_apply_after_the_visit_goes_to_the_application_form(client, cast, household_a):
    client.force_login(cast["grid_a"])
    response = client.post(visit_url(household_a), form_data(apply="on"))
    assert response["Location"] == reverse("intake:application_create", args=[household_a.pk])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("who", ["grid_a", "clerk_b"])
def test_the_neighbouring_grid_or_another_township_gets_404(client, cast, make_household, who):
    neighbour = make_household("220821101200002") if who == "grid_a" else make_household("220821101200001")
    result = services.grid_visit_submit(household=neighbour, by=cast["clerk_a"], checks=all_secure(),
                                        visited_on=date(2025, 9, 3), photos=[photo()])
    client.force_login(cast[who])
    visit = result.visit
    for url in (visit_url(neighbour), reverse("gridwork:visit_detail", args=[visit.pk]),
                reverse("gridwork:visit_photo", args=[visit.pk, visit.photos.get().pk])):
        assert client.get(url).status_code == 404
    assert client.post(visit_url(neighbour), form_data()).status_code == 404
    assert client.post(reverse("gridwork:visit_raise_alert", args=[visit.pk]), {"finding": "x"}).status_code == 404
    assert GridVisit.objects.count() == 1 and not Alert.objects.exists()


def test_roles_without_visits_are_refused(client, cast, household_a):
    client.force_login(cast["reviewer_a"])  # handles alerts, records no visits
    assert client.get(reverse("gridwork:plan")).status_code == 200
    assert client.get(visit_url(household_a)).status_code == 403
    client.force_login(cast["auditor"])
    assert client.get(reverse("gridwork:mine")).status_code == 403
    assert "网格走访" not in client.get(reverse("registry:household_list")).content.decode()


def test_the_plan_list_per_grid_with_its_worker(client, cast, household_a, make_household, give_status):
    give_status(household_a, ["dibao"])
    give_status(make_household("220821101200002"), ["tekun"])
    client.force_login(cast["clerk_a"])
    page = client.get(reverse("gridwork:plan")).content.decode()
    assert "坦途村第一网格" in page and "grid_a" in page and "坦途村第二网格" in page
    page = client.get(reverse("gridwork:plan") + "?level=township").content.decode()
    assert "按乡镇（街道）汇总" in page and "坦途镇" in page
    client.force_login(cast["grid_a"])
    page = client.get(reverse("gridwork:plan")).content.decode()
    assert "第二网格" not in page
    # county-wide, townships first (a county has hundreds of grids); grids on asking
    client.force_login(cast["county_civil"])
    assert client.get(reverse("gridwork:plan")).context["level"] == "township"
    assert client.get(reverse("gridwork:plan") + "?level=grid").context["level"] == "grid"
    assert client.get(reverse("gridwork:plan") + "?region=220821101").context["level"] == "grid"


def test_the_household_page_block(cast, household_a, give_status):
    give_status(household_a, ["dibao"])
    services.grid_visit_record(household=household_a, by=cast["grid_a"], checks=all_secure(water="井水浑浊"),
                               visited_on=date(2025, 9, 3))
    request = RequestFactory().get("/")
    request.user = cast["grid_a"]
    html = Template("{% load gridwork_tags %}{% household_gridwork household %}").render(
        Context({"household": household_a, "request": request}))
    assert "2025-09-03" in html and "风险：饮水安全" in html and "每 3 个月走访" in html
    assert reverse("gridwork:visit_new", args=[household_a.pk]) in html


def test_the_visit_plan_exports_to_excel_with_its_workers_and_the_export_is_recorded(
        client, cast, household_a, make_household, give_status):
    import io

    from python_calamine import CalamineWorkbook

    from safetynet.audit.models import AuditEvent

    # given: two households in the plan of township A (one never visited: due today), one in township B
    give_status(household_a, ["dibao"])
    give_status(make_household("220821101200002"), ["tekun"])
    give_status(make_household("220821102200001"), ["dibao"])
    client.force_login(cast["clerk_a"])
    assert 'id="export"' in client.get(reverse("gridwork:plan")).content.decode()
    # when
    response = client.get(reverse("gridwork:plan_export"), {"state": "due"})
    # then
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("走访计划").to_python()
    by_code = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert len(by_code) == 2 and all(code.startswith("220821101") for code in by_code)
    row = by_code[household_a.code]
    assert row["网格员"] == str(cast["grid_a"]) and row["上次走访"] == "从未走访" and row["走访状态"] == "今日应走访"
    assert row["类别"] == "低保" and row["走访间隔（月）"] == "3"
    assert AuditEvent.objects.get(action="export", object_type="visit_plan").detail["rows"] == 2
    # and: a grid worker records visits but exports no personal data
    client.force_login(cast["grid_a"])
    assert client.get(reverse("gridwork:plan_export")).status_code == 403
