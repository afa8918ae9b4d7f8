"""A screening run assesses every household of the registry, keeps the run, and compares runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import member_data
from safetynet.audit.models import AuditEvent
from safetynet.monitoring.models import ScreeningResult, ScreeningRun
from safetynet.monitoring.selectors import screening_compare
from safetynet.monitoring.services import screening_run
from safetynet.monitoring.tests.households import ON, small_registry
from safetynet.policy.assess import assess
from safetynet.policy.params import ParameterMissing
from safetynet.registry.documents import household_document
from safetynet.registry.services import household_save


def test_screening_stores_each_household_as_assess_judges_it(cast, make_household):
    # given
    households = small_registry(make_household)
    # when
    outcome = screening_run(on=ON, by=cast["county_civil"])
    # then: one result per household, the same verdicts as assess() of its document
    run = ScreeningRun.objects.get()
    assert run == outcome.run and run.status == ScreeningRun.Status.DONE and run.household_count == 3
    for household in households:
        result = ScreeningResult.objects.get(run=run, household=household)
        expected = assess(household_document(household), ON)
        assert result.categories == expected["categories"] and result.tags == expected["tags"]
        assert result.risks == expected["risks"]
        assert result.monitoring_candidate == expected["monitoring_candidate"]
        assert result.dibao_monthly == expected["benefits"]["dibao_monthly"]
        assert result.tekun_monthly == expected["benefits"]["tekun_monthly"]
        tekun_ids = household.memberships.filter(member__id_number__in=expected["tekun_members"])
        assert sorted(result.tekun_members) == sorted(tekun_ids.values_list("member_id", flat=True))
    assert {c for r in run.results.all() for c in r.categories} == {"dibao", "tekun"}


def test_run_records_counts_parameters_and_who_started_it(cast, make_household):
    # given
    small_registry(make_household)
    # when
    run = screening_run(on=ON, by=cast["county_civil"]).run
    # then
    assert run.counts["categories"] == {"dibao": 1, "tekun": 1} and run.counts["no_category"] == 1
    assert run.counts["tekun_members"] == 1
    assert run.parameter_version and run.duration is not None and run.finished_at >= run.started_at
    standard = run.parameters["dibao.standard.rural_annual"]
    assert standard == [{"name": "dibao.standard.rural_annual", "value": "5520", "since": "2025-01-01",
                         "region": "220821", "status": "P", "source": standard[0]["source"], "origin": "file",
                         "reason": ""}]
    assert run.started_by == cast["county_civil"]
    assert AuditEvent.objects.filter(action="screening.run", object_id=str(run.pk)).exists()


def test_screening_again_keeps_the_earlier_run_and_its_results(cast, make_household):
    # given
    small_registry(make_household)
    first = screening_run(on=ON).run
    # when
    second = screening_run(on=ON).run
    # then
    assert ScreeningRun.objects.count() == 2 and first.pk != second.pk
    assert first.results.count() == 3 and second.results.count() == 3


def test_compare_lists_the_household_whose_category_changed(cast, make_household):
    # given: a run, then the 低保 family's head finds work
    family, *_ = small_registry(make_household)
    before = screening_run(on=ON).run
    document = household_document(family)
    document.members[0].income.wages = 60000
    household_save(document=document, household=family, by=cast["county_civil"])
    after = screening_run(on=ON).run
    # when
    changes = screening_compare(before, after)
    # then: only that family, from 低保 to no category
    assert [(c.code, c.categories_before, c.categories_after) for c in changes] == [(family.code, ["dibao"], [])]


def test_household_that_cannot_be_assessed_is_recorded_with_the_reason(cast, make_household):
    # given: every member lives elsewhere, so nobody is counted
    make_household(members=[member_data("周明", "self", ON.replace(year=1980), co_resident=False)])
    # when
    run = screening_run(on=ON).run
    # then: the run completes; the household carries the reason, not a guess
    result = run.results.get()
    assert run.counts["errors"] == 1 and result.error and result.categories == []


def test_failed_run_is_kept_as_failed_without_results(cast, make_household):
    # given: a date before any parameter is in force
    small_registry(make_household)
    # when
    with pytest.raises(ParameterMissing):
        screening_run(on=ON.replace(year=2020))
    # then
    run = ScreeningRun.objects.get()
    assert run.status == ScreeningRun.Status.FAILED and run.error and not run.results.exists()


def test_screen_command_prints_counts_in_chinese_and_stores_the_run(cast, make_household):
    # given
    small_registry(make_household)
    out, err = StringIO(), StringIO()
    # when
    call_command("screen", "--on", ON.isoformat(), "--as", "county_civil", stdout=out, stderr=err)
    # then
    text, run = out.getvalue(), ScreeningRun.objects.get()
    assert f"第 {run.pk} 次筛查完成" in text and "共 3 户" in text
    assert "最低生活保障对象（低保）：1 户" in text and "特困人员：1 户" in text
    assert "3/3" in err.getvalue()  # the progress bar
    assert run.started_by == cast["county_civil"]


def test_screen_command_without_store_saves_nothing(cast, make_household):
    # given
    small_registry(make_household)
    out = StringIO()
    # when
    call_command("screen", "--on", ON.isoformat(), "--no-store", stdout=out, stderr=StringIO())
    # then
    assert "筛查（未保存）完成" in out.getvalue() and not ScreeningRun.objects.exists()


def test_screen_command_compare_names_changed_households(cast, make_household):
    # given
    family, *_ = small_registry(make_household)
    call_command("screen", "--on", ON.isoformat(), stdout=StringIO(), stderr=StringIO())
    document = household_document(family)
    document.members[0].income.wages = 60000
    household_save(document=document, household=family, by=cast["county_civil"])
    call_command("screen", "--on", ON.isoformat(), stdout=StringIO(), stderr=StringIO())
    a, b = ScreeningRun.objects.order_by("pk").values_list("pk", flat=True)
    out = StringIO()
    # when
    call_command("screen", "--compare", str(a), str(b), stdout=out)
    # then
    assert "1 户类别或标识有变化" in out.getvalue()
    assert f"{family.code}：最低生活保障对象（低保） → 无" in out.getvalue()


def test_screen_command_refuses_bad_date_and_unknown_run(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("screen", "--on", "2025-13-01")
    with pytest.raises(CommandError, match="没有第 7 次筛查"):
        call_command("screen", "--compare", "7", "8")


def test_screening_results_hold_no_id_numbers(cast, make_household):
    # given
    small_registry(make_household)
    # when
    run = screening_run(on=ON).run
    # then: 特困 members are referred to by member id, never by ID number
    stored = str(list(run.results.values()))
    ids = [m.member.id_number for r in run.results.all() for m in r.household.memberships.all()]
    assert ids and not any(i in stored for i in ids)
