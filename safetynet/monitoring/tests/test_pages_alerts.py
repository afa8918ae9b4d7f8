"""The alert pages, the front page (工作台) and the screening page: scope, masking, steps, figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safetynet.audit.models import AuditEvent
from safetynet.jobs.models import Job
from safetynet.monitoring.alerts import alert_close, alert_raise, alert_verify_start
from safetynet.monitoring.models import Alert
from safetynet.monitoring.services import SCREENING_JOB


def raise_at(household, code, on=None):
    on = on or timezone.localdate()
    return alert_raise(household=household, kind="visit_finding", code=code, on=on,
                       evidence={"text": f"走访发现：{code}", "rule": "visit"})


@pytest.fixture
def alerts(cast, household_a, household_b):
    long_ago = timezone.localdate() - timedelta(days=90)
    overdue = raise_at(household_a, "overdue", on=long_ago)
    fresh = raise_at(household_a, "fresh")
    done = raise_at(household_a, "done")
    alert_verify_start(alert=done, by=cast["grid_a"])
    alert_close(alert=done, by=cast["grid_a"], outcome="no_action", reason="已核实无困难", on=timezone.localdate())
    other = raise_at(household_b, "other")
    return {"overdue": overdue, "fresh": fresh, "done": done, "other": other}


def test_front_page_shows_alerts_handled_per_township_and_village(client, cast, alerts):
    # given
    client.force_login(cast["county_civil"])
    # when
    response = client.get("/")
    # then: 1 of 4 closed county-wide; township A 1 of 3 with one overdue
    assert response.status_code == 200
    whole, townships, villages = (response.context[k] for k in ("whole", "townships", "villages"))
    assert (whole.total, whole.closed, whole.open, whole.overdue, whole.percent) == (4, 1, 3, 1, "25.0%")
    assert [(f.name, f.total, f.closed, f.overdue) for f in townships] == [("坦途镇", 3, 1, 1), ("东屏镇", 1, 0, 0)]
    assert [(f.name, f.total) for f in villages] == [("坦途村", 3), ("东屏村", 1)]
    html = response.content.decode()
    assert "预警办结率" in html and "25.0%" in html and "工作台" in html
    # villages folded under their township (a county has two hundred); a township's own page opens its one
    assert [(t.name, [v.name for v in vs]) for t, vs in response.context["by_township"]] == [
        ("坦途镇", ["坦途村"]), ("东屏镇", ["东屏村"])]
    assert '<details class="mb-2" id="villages-220821101">' in html


def test_front_page_of_a_township_counts_only_its_own(client, cast, alerts):
    client.force_login(cast["clerk_b"])
    response = client.get("/")
    assert [(f.name, f.total) for f in response.context["townships"]] == [("东屏镇", 1)]
    assert '<details class="mb-2" open id="villages-220821102">' in response.content.decode()
    assert response.context["whole"].percent == "0.0%"


def test_front_page_needs_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_alert_list_is_scoped_and_filtered(client, cast, alerts):
    client.force_login(cast["clerk_a"])
    url = reverse("monitoring:alert_list")
    codes = lambda r: {a.code for a in r.context["page"]}
    assert codes(client.get(url)) == {"overdue", "fresh", "done"}
    assert codes(client.get(url, {"status": "open"})) == {"overdue", "fresh"}
    assert codes(client.get(url, {"overdue": "1"})) == {"overdue"}
    assert codes(client.get(url, {"region": "220821102"})) == set()  # township B is not hers
    client.force_login(cast["county_civil"])
    assert codes(client.get(url, {"region": "220821102200"})) == {"other"}
    assert AuditEvent.objects.filter(action="search", object_type="alert").exists()


def test_names_are_masked_for_roles_that_do_not_handle_alerts(client, cast, alerts, household_a):
    head = household_a.head_name
    client.force_login(cast["task_force"])
    html = client.get(reverse("monitoring:alert_list")).content.decode()
    assert head not in html and head[0] + "*" in html
    client.force_login(cast["clerk_a"])
    assert head in client.get(reverse("monitoring:alert_list")).content.decode()


def test_my_alerts_lists_the_owners_open_alerts(client, cast, alerts):
    client.force_login(cast["grid_a"])
    response = client.get(reverse("monitoring:alert_mine"))
    assert response.status_code == 200
    assert {a.code for a in response.context["alerts"]} == {"overdue", "fresh"}
    assert "已逾期" in response.content.decode()


def test_detail_is_audited_and_offers_the_steps_of_the_role(client, cast, alerts):
    alert = alerts["fresh"]
    client.force_login(cast["grid_a"])
    response = client.get(reverse("monitoring:alert_detail", args=[alert.pk]))
    assert response.status_code == 200 and "走访发现：fresh" in response.content.decode()
    assert [s["name"] for s in response.context["steps"]] == ["verify"]  # grid workers do not dispatch
    assert AuditEvent.objects.filter(action="view", object_type="alert", object_id=str(alert.pk)).exists()
    client.force_login(cast["clerk_a"])
    response = client.get(reverse("monitoring:alert_detail", args=[alert.pk]))
    assert [s["name"] for s in response.context["steps"]] == ["assign", "verify"]


def test_the_owner_verifies_and_closes_from_the_page(client, cast, alerts):
    alert = alerts["fresh"]
    client.force_login(cast["grid_a"])
    response = client.post(reverse("monitoring:alert_verify", args=[alert.pk]), {"verify-version": 1})
    assert response.status_code == 302
    close = reverse("monitoring:alert_close", args=[alert.pk])
    response = client.post(close, {"close-version": 2, "close-outcome": "no_action", "close-reason": "",
                                   "close-on": "2025-08-01"})
    assert response.status_code == 422 and "请填写结果说明" in response.content.decode()
    response = client.post(close, {"close-version": 2, "close-outcome": "no_action", "close-reason": "已核实",
                                   "close-on": "2025-08-01"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.closed_on) == ("closed", "no_action", date(2025, 8, 1))


def test_a_stale_page_and_a_forbidden_step_are_refused(client, cast, alerts):
    alert = alerts["fresh"]
    client.force_login(cast["clerk_a"])
    response = client.post(reverse("monitoring:alert_assign", args=[alert.pk]),
                           {"assign-version": 7, "assign-to": cast["grid_a"].pk})
    assert response.status_code == 422 and "请刷新页面" in response.content.decode()
    client.force_login(cast["grid_a"])
    response = client.post(reverse("monitoring:alert_assign", args=[alert.pk]),
                           {"assign-version": 1, "assign-to": cast["grid_a"].pk})
    assert response.status_code == 403


@pytest.mark.parametrize("user", ["clerk_b", "dept_medical"])
def test_an_alert_of_another_region_is_not_found(client, cast, alerts, user):
    client.force_login(cast[user])
    assert client.get(reverse("monitoring:alert_detail", args=[alerts["fresh"].pk])).status_code == 404


def test_county_staff_start_a_screening_as_a_background_job(client, cast, db):
    client.force_login(cast["county_civil"])
    response = client.post(reverse("monitoring:runs"), {"on": "2025-08-01"})
    assert response.status_code == 302
    job = Job.objects.get(kind=SCREENING_JOB)
    assert job.args == {"on": "2025-08-01"} and job.created_by == cast["county_civil"]
    response = client.post(reverse("monitoring:runs"), {"on": "2025-08-01"})
    assert response.status_code == 422 and "已有一次筛查" in response.content.decode()
    assert client.get(reverse("monitoring:runs")).status_code == 200


@pytest.mark.parametrize("user", ["clerk_a", "grid_a", "auditor"])
def test_others_may_not_start_a_screening(client, cast, user):
    client.force_login(cast[user])
    assert client.get(reverse("monitoring:runs")).status_code == 403
    assert client.post(reverse("monitoring:runs"), {"on": "2025-08-01"}).status_code == 403


def test_the_screening_job_runs_and_raises_alerts(cast, household_a):
    from safetynet.jobs.services import handlers_load, job_claim_next, job_run
    from safetynet.monitoring.services import screening_enqueue

    handlers_load()  # as the worker does at start
    screening_enqueue(by=cast["county_civil"], on=date(2025, 8, 1))
    job = job_run(job_claim_next())
    assert job.status == Job.Status.DONE, job.error
    assert job.result["households"] == 1 and job.result["alerts"]
    assert Alert.objects.filter(household=household_a, screening_run_id=job.result["run"]).exists()


def test_an_open_alert_offers_an_application_for_the_family_until_one_is_in_progress(client, cast, household_a):
    from safetynet.intake import services as intake

    # given: an open alert on a family with no application
    alert = alert_raise(household=household_a, kind="category_change", code="none>dibao", on=timezone.localdate(),
                        evidence={"text": "筛查认定为“低保”，现认定为“无救助类别”", "rule": "screening.categories"})
    url = reverse("monitoring:alert_detail", args=[alert.pk])
    client.force_login(cast["grid_a"])
    # when / then: the grid worker may start one
    html = client.get(url).content.decode()
    assert reverse("intake:application_create", args=[household_a.pk]) in html and "为该户提出救助申请" in html
    # and: a role that does not register applications is not offered it
    client.force_login(cast["task_force"])
    assert "为该户提出救助申请" not in client.get(url).content.decode()
    # when: an application is in progress, it is named instead of a second one
    head = household_a.memberships.get(relation="self").member
    application = intake.application_create(by=cast["grid_a"], household=household_a,
                                            requested_categories=["dibao"], applicant_id_number=head.id_number)
    client.force_login(cast["clerk_a"])
    html = client.get(url).content.decode()
    assert "为该户提出救助申请" not in html and application.number in html and "已有在办的救助申请" in html


def _sheet(response):
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return [book.get_sheet_by_name(name).to_python() for name in ("预警清单", "说明")]


def test_the_alert_list_exports_to_excel_with_its_filters_and_the_export_is_recorded(client, cast, alerts,
                                                                                   household_a):
    # given
    client.force_login(cast["clerk_a"])
    list_page = client.get(reverse("monitoring:alert_list"), {"status": "open"}).content.decode()
    assert 'href="/monitoring/alerts/export.xlsx?status=open"' in list_page
    # when
    response = client.get(reverse("monitoring:alert_export"), {"status": "open"})
    # then: her township's open alerts, most urgent first, names in full for a role that handles them
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, about = _sheet(response)
    header = rows[0]
    assert header[:4] == ["预警编号", "预警类型", "户编号", "户主"]
    assert [int(r[0]) for r in rows[1:]] == [alerts["overdue"].pk, alerts["fresh"].pk]
    first = dict(zip(header, rows[1]))
    assert first["户编号"] == household_a.code and first["户主"] == household_a.head_name
    assert first["逾期"] == "是" and first["状态"] == "已分派" and first["依据"] == "走访发现：overdue"
    assert first["责任人"] == str(cast["grid_a"]) and first["预警日期"] < first["办理期限"]
    assert first["乡镇（街道）"] == "坦途镇" and first["村（网格）"] == "坦途村第一网格"
    assert ["筛选条件", "未办结"] in about and ["行数", "2"] in [[a, str(b)] for a, b in about]
    event = AuditEvent.objects.get(action="export", object_type="alert", actor=cast["clerk_a"])
    assert event.detail["rows"] == 2 and event.detail["filters"]["status"] == "open"


def test_roles_that_do_not_export_personal_data_get_no_export(client, cast, alerts):
    for role in ("grid_a", "task_force"):  # a grid worker handles alerts; the task force sees them: neither exports
        client.force_login(cast[role])
        assert client.get(reverse("monitoring:alert_export")).status_code == 403
        assert "导出Excel" not in client.get(reverse("monitoring:alert_list")).content.decode()
    assert not AuditEvent.objects.filter(action="export", object_type="alert").exists()
