"""The home visit's data comparison and correction, and the review beside the engine's explanation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.core.document import document_to_dict, parse_household_document
from safetynet.intake import services
from safetynet.intake.models import Application, ReviewDecision
from safetynet.intake.tests.conftest import DAY, follow_engine, walk
from safetynet.registry.documents import household_document
from safetynet.registry.services import StaleHousehold, household_save


def _with_wages(application: Application, wages: int) -> Any:
    data = document_to_dict(household_document(application.household))
    data["members"][1]["income"]["wages"] = wages
    return parse_household_document(data)


def test_a_visit_keeps_the_documents_and_assessment_it_compared(cast: dict[str, Any],
                                                                application: Application) -> None:
    walk(application, cast, "visited")
    visit = application.visits.get()
    assert visit.snapshot["as_of"] == "2025-09-03"
    assert visit.snapshot["assessment"]["categories"] == ["dibao"]
    assert visit.snapshot["document"]["members"][0]["id_number"] == application.applicant.id_number
    assert visit.corrections == [] and visit.photos.count() == 1
    assert visit.photos.get().file.name.startswith("intake/photos/")


def test_a_correction_found_at_the_visit_goes_to_the_registry_with_a_new_version(
        cast: dict[str, Any], application: Application) -> None:
    # given
    walk(application, cast, "investigating")
    household = application.household
    # when: the spouse in fact earns 30 000 a year
    visit = services.application_visit_record(
        application=application, by=cast["clerk_a"], visited_on=DAY["visited"], staff_names=["张伟", "刘芳"],
        observations="配偶在县城务工，年收入约3万元", corrected_document=_with_wages(application, 30000),
        household_version=household.version)
    # then
    household.refresh_from_db()
    assert visit.household_version == household.version == 2
    spouse = visit.snapshot["document"]["members"][1]["id_number"]
    assert [c["path"] for c in visit.corrections] == [f"members.{spouse}.income.wages"]  # registry's diff paths
    assert visit.snapshot["assessment"]["categories"] != ["dibao"]  # 40 000 a year for 3 is above the line
    application.refresh_from_db()
    assert application.declared_document["members"][1]["income"]["wages"] == 4000  # what the family declared
    # and the review proposes from the corrected facts
    review = services.application_investigation_complete(application=application, by=cast["clerk_a"],
                                                         on=DAY["reviewing"])
    assert review.proposal["dibao"] is False


def test_corrections_made_on_the_household_pages_during_the_investigation_show_on_the_visit(
        cast: dict[str, Any], application: Application) -> None:
    # given: during 调查核实 the clerk corrects the wages on the household page (registry service)
    walk(application, cast, "investigating")
    household = application.household
    household_save(document=_with_wages(application, 30000), household=household, by=cast["clerk_a"],
                   expected_version=household.version)
    # when: the visit is recorded without a document of its own
    first = services.application_visit_record(
        application=application, by=cast["clerk_a"], visited_on=DAY["visited"], staff_names=["张伟", "刘芳"],
        observations="配偶在县城务工")
    second = services.application_visit_record(
        application=application, by=cast["clerk_a"], visited_on=DAY["reviewing"], staff_names=["张伟", "刘芳"],
        observations="复核，情况无变化")
    # then: the first visit reports the change from what was declared (4 000 -> 30 000), the second nothing new
    spouse = first.snapshot["document"]["members"][1]["id_number"]
    assert first.corrections == [{"path": f"members.{spouse}.income.wages", "before": 4000, "after": 30000}]
    assert second.corrections == []
    assert first.household_version == 2


def test_a_correction_on_a_stale_household_is_refused(cast: dict[str, Any], application: Application) -> None:
    walk(application, cast, "investigating")
    with pytest.raises(StaleHousehold):
        services.application_visit_record(
            application=application, by=cast["clerk_a"], visited_on=DAY["visited"], staff_names=["张伟", "刘芳"],
            observations="见", corrected_document=_with_wages(application, 30000), household_version=0)
    assert not application.visits.exists()


def test_review_decisions_stand_beside_the_engine_with_its_explanation(cast: dict[str, Any],
                                                                      application: Application) -> None:
    # given: the engine proposes 低保 and a monitoring check
    walk(application, cast, "reviewing")
    review = services.current_review(application)
    assert review is not None and review.proposal == {
        "tekun": False, "dibao": True, "dibao_edge": False, "rigid_expense": False, "monitoring_object": True}
    # when: the township follows it except for the tag
    services.application_review_decide(application=application, by=cast["reviewer_a"],
                                       decisions=follow_engine(application, monitoring_object=False),
                                       reasons={"monitoring_object": "农业农村部门已核实不属于监测范围"},
                                       on=date(2025, 9, 4))
    # then
    rows = {d.item: d for d in ReviewDecision.objects.filter(review=review)}
    assert (rows["dibao"].proposed, rows["dibao"].decided, rows["dibao"].reason) == (True, True, "")
    assert (rows["monitoring_object"].proposed, rows["monitoring_object"].decided) == (True, False)
    assert rows["monitoring_object"].reason == "农业农村部门已核实不属于监测范围"
    assert "dibao.household" in [e["rule"] for e in rows["dibao"].explanation]
    assert any("低于本地农村低保标准" in (e["text"] or "") for e in rows["dibao"].explanation)
