"""A screening run with alerts: department facts enter the assessment, each alert kind is raised from a
crafted fact, with its evidence, and nothing is raised twice."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import member_data
from safetynet.monitoring.alerts import alert_close, alert_verify_start
from safetynet.monitoring.models import Alert, ScreeningResult
from safetynet.monitoring.services import screening_run
from safetynet.monitoring.tests.feeds import fact
from safetynet.monitoring.tests.households import ON, well_off

EARLIER = date(2025, 6, 1)


def modest() -> list[dict]:
    """Two working adults, 24,000 a year: above the edge line, below the income cap (no category)."""
    return [member_data("周国华", "self", date(1980, 1, 2), employment="employed", income={"wages": 12000}),
            member_data("吴秀梅", "spouse", date(1981, 3, 4), male=False, employment="employed",
                        income={"wages": 12000})]


def member(household, relation):
    return household.memberships.get(relation=relation).member


@pytest.fixture
def county(cast, make_household):
    """Three households screened once without alerts (the baseline), then given department facts."""
    dibao = make_household("220821101200001")  # the default family: 低保, a monitoring candidate
    modest_family = make_household("220821101200001", members=modest())
    rich = make_household("220821102200001", members=well_off(), assets={"deposits": 200000})
    screening_run(on=ON)
    by = cast["county_civil"]
    head, spouse, child = (member(dibao, r) for r in ("self", "spouse", "child"))
    facts = {
        "housing": fact(head, "housing_appraisal", on=EARLIER, by=by, row=3, grade="D"),
        "vehicle": fact(head, "vehicle", on=EARLIER, by=by, row=4, kind="car", value="80000.00"),
        "business": fact(spouse, "business", on=EARLIER, by=by, row=5, name="小卖部", capital="50000.00"),
        "property": fact(spouse, "property", on=EARLIER, by=by, row=6, urban=True, area="89.5"),
        "death": fact(child, "death", on=EARLIER, by=by, row=7),
        "wages": fact(spouse, "employment", on=EARLIER, by=by, row=8, employer="某公司", monthly_wages="3200.00"),
        "self_paid": fact(member(modest_family, "self"), "self_paid", on=EARLIER, by=by, row=9, amount="20000.00"),
        "mark": fact(member(rich, "self"), "monitoring_mark", on=EARLIER, by=by, row=10, object=True,
                     kind="sudden_hardship"),
        "disaster": fact(member(rich, "spouse"), "disaster_loss", on=EARLIER, by=by, row=11, amount="30000.00",
                         disaster="flood"),
        "income": fact(member(modest_family, "self"), "income_survey", on=EARLIER, by=by, row=12,
                       annual_income="60000.00"),
    }
    return {"dibao": dibao, "modest": modest_family, "rich": rich, "facts": facts}


def alerts_of(household):
    return {(a.kind, a.code): a for a in Alert.objects.filter(household=household)}


def test_each_alert_kind_is_raised_from_a_crafted_fact(cast, county):
    # when
    run = screening_run(on=ON, alerts=True, by=cast["county_civil"]).run
    # then
    dibao, modest_family, rich = county["dibao"], county["modest"], county["rich"]
    head, spouse, child = (member(dibao, r).pk for r in ("self", "spouse", "child"))
    # 低保 by the rules with no status in force: raised although the baseline found it (it told nobody)
    assert set(alerts_of(dibao)) == {("risk", "housing"), ("category_change", "none>dibao"),
                                     ("undeclared_vehicle", f"m{head}"),
                                     ("undeclared_business", f"m{spouse}"), ("undeclared_property", f"m{spouse}"),
                                     ("member_death", f"m{child}"), ("wages_while_unemployed", f"m{spouse}")}
    assert set(alerts_of(modest_family)) == {("risk", "illness"), ("category_change", "none>rigid_expense"),
                                             ("monitoring_candidate", "monitoring_object"),
                                             ("undeclared_income", f"m{member(modest_family, 'self').pk}")}
    assert set(alerts_of(rich)) == {("risk", "disaster"), ("monitoring_candidate", "monitoring_object")}
    assert {k for k, _ in alerts_of(dibao) | alerts_of(modest_family) | alerts_of(rich)} == (
        set(Alert.Kind.values) - {"visit_finding"})
    assert run.counts["alerts"]["risk"] == 3 and run.counts["risks"].get("housing")


def test_conflicts_are_marked_and_carry_their_evidence(cast, county):
    screening_run(on=ON, alerts=True)
    dibao, facts = county["dibao"], county["facts"]
    vehicle = Alert.objects.get(household=dibao, kind="undeclared_vehicle")
    assert vehicle.suspected_fraud and vehicle.member == member(dibao, "self")
    assert vehicle.evidence["feed_records"] == [facts["vehicle"].pk]
    assert vehicle.evidence["facts"][0] | {"import": None} == {
        "id": facts["vehicle"].pk, "source": "police", "kind": "vehicle", "on": "2025-06-01", "row": 4,
        "file": "police.csv", "import": None}
    assert "小汽车" in vehicle.evidence["text"] and vehicle.evidence["rule"] == "conflict.vehicle"
    housing = Alert.objects.get(household=dibao, kind="risk")
    assert not housing.suspected_fraud and housing.evidence["feed_records"] == [facts["housing"].pk]
    assert housing.owner == cast["grid_a"] and housing.status == Alert.Status.ASSIGNED
    rich_mark = Alert.objects.get(household=county["rich"], kind="monitoring_candidate")
    assert rich_mark.owner == cast["clerk_b"]  # no grid worker in township B
    assert "农业农村部门已标识" in rich_mark.evidence["text"]


def test_facts_enter_the_assessment(cast, county):
    run = screening_run(on=ON, alerts=True).run
    modest_result = ScreeningResult.objects.get(run=run, household=county["modest"])
    assert modest_result.categories == ["rigid_expense"] and "illness" in modest_result.risks
    dibao_result = ScreeningResult.objects.get(run=run, household=county["dibao"])
    assert dibao_result.counted_members == 2 and "housing" in dibao_result.risks  # the child died
    rich_result = ScreeningResult.objects.get(run=run, household=county["rich"])
    assert rich_result.tags == ["monitoring_object"] and "disaster" in rich_result.risks
    assert "risk:disaster" in rich_result.findings


def test_a_second_run_raises_nothing_again_not_even_after_closing(cast, county):
    # given
    screening_run(on=ON, alerts=True)
    raised = Alert.objects.count()
    # when
    second = screening_run(on=ON, alerts=True).run
    # then
    assert Alert.objects.count() == raised and second.counts["alerts"] == {}
    # and: an alert closed meanwhile is not raised again while the run still finds the same thing
    alert = Alert.objects.get(household=county["dibao"], kind="risk")
    alert_verify_start(alert=alert, by=cast["grid_a"])
    alert_close(alert=alert, by=cast["grid_a"], outcome="no_action", reason="已列入危房改造", on=ON)
    screening_run(on=ON, alerts=True)
    assert Alert.objects.count() == raised


def test_a_run_without_a_baseline_raises_every_finding_once(cast, make_household):
    household = make_household("220821101200001")
    screening_run(on=ON, alerts=True)
    first = Alert.objects.filter(household=household).count()
    assert first >= 2  # a category the status lacks, and the monitoring candidate
    screening_run(on=ON, alerts=True)
    assert Alert.objects.filter(household=household).count() == first


def test_a_family_eligible_but_never_assisted_is_raised_after_a_run_without_alerts(cast, make_household):
    # given: the default family in a C-grade house: 低保 by the rules, with no status in force and a housing
    # risk; a run that raised nothing
    household = make_household("220821101200001", living={"housing_grade": "C", "water_safe": True})
    baseline = screening_run(on=ON).run
    known_risks = {("risk", code) for code in ScreeningResult.objects.get(run=baseline, household=household).risks}
    assert known_risks
    # when
    screening_run(on=ON, alerts=True)
    # then: the family is brought to someone's desk; what was known before alerting is not raised
    raised = set(alerts_of(household))
    assert ("category_change", "none>dibao") in raised
    assert not known_risks & raised and ("monitoring_candidate", "monitoring_object") not in raised
    assert "低保" in Alert.objects.get(household=household, kind="category_change").evidence["text"]


def test_an_income_survey_above_the_counted_income_beyond_the_tolerance_is_a_conflict(cast, make_household):
    # given: two families counted at 24,000 a year; the tolerance is 20 % (alert.income_survey_tolerance)
    within = make_household(members=modest())
    beyond = make_household(members=[member_data("郑立军", "self", date(1979, 5, 6), employment="employed",
                                                 income={"wages": 24000})])
    by = cast["county_civil"]
    fact(member(within, "self"), "income_survey", on=EARLIER, by=by, annual_income="28800.00")
    survey = fact(member(beyond, "self"), "income_survey", on=EARLIER, by=by, row=3, annual_income="28800.01")
    # when
    screening_run(on=ON, alerts=True)
    # then
    assert not Alert.objects.filter(household=within, kind="undeclared_income").exists()
    alert = Alert.objects.get(household=beyond, kind="undeclared_income")
    assert alert.suspected_fraud and alert.member == member(beyond, "self")
    assert alert.evidence["feed_records"] == [survey.pk] and alert.evidence["facts"][0]["source"] == "rural"
    assert "家庭年纯收入 28800.01 元" in alert.evidence["text"] and "约 24000.00 元" in alert.evidence["text"]
    assert "疑似少报收入" in alert.evidence["text"]
