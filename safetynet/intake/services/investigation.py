"""调查核实: ≥ 2 staff, home visits with the data comparison, then the engine's proposal for review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from safetynet.core.document import DocumentInvalid, HouseholdDocument, document_to_dict
from safetynet.intake import errors
from safetynet.intake.deadlines import application_clock
from safetynet.intake.models import ITEMS, TAG, Application, HomeVisit, HomeVisitPhoto, Investigation, Review
from safetynet.intake.permissions import region_covers
from safetynet.intake.services._base import State, claim, require, step_date
from safetynet.intake.uploads import atomic_with_uploads, upload_check, upload_store
from safetynet.parameters.selectors import effective_parameters
from safetynet.registry.assessment import document_assess
from safetynet.registry.documents import document_dict_diff, household_document
from safetynet.registry.models import Household
from safetynet.registry.services import household_save

PHOTO_LABEL = "入户照片"


def _staff(application: Application, staff: Sequence[Any]) -> list[Any]:
    people = list({user.pk: user for user in staff}.values())
    if len(people) < 2:
        raise errors.IntakeInvalid(errors.STAFF_TOO_FEW.format(count=len(people)), field="staff")
    for user in people:
        if not user.is_active or not region_covers(user, application.region_id):
            raise errors.IntakeInvalid(errors.STAFF_NOT_IN_REGION.format(name=user), field="staff")
    return people


def current_investigation(application: Application) -> Investigation | None:
    return application.investigations.order_by("-round").first()


@transaction.atomic
def application_investigation_start(*, application: Application, by: Any, staff: Sequence[Any],
                                    on: date | None = None) -> Investigation:
    """Start 调查核实 after 受理 (due within procedure.investigation_start_workdays working days).

    A late start is recorded, not refused: refusing would leave the family with no investigation at all.
    """
    require(application, by=by, action="investigation_start", states=[State.ACCEPTED])
    on = step_date(application, on)
    people = _staff(application, staff)
    due = application_clock(application, today=on).investigation_due_on
    claim(application, by=by, action="investigation_start", to=State.INVESTIGATING, on=on,
          note="、".join(str(u) for u in people),
          detail={"staff": [u.pk for u in people], "due": due.isoformat() if due else None,
                  "late": bool(due and on > due)})
    investigation = Investigation.objects.create(application=application, round=1, started_on=on, started_by=by)
    investigation.staff.set(people)
    return investigation


def assessment_snapshot(document: HouseholdDocument, on: date) -> dict[str, Any]:
    """The engine's assessment of `document` on `on`, or {"error": ...} when it cannot assess it."""
    try:
        return document_assess(document, on=on, params=effective_parameters())
    except DocumentInvalid as invalid:
        return {"error": "；".join(str(e) for e in invalid.errors)}


def _visit_staff(names: Sequence[str]) -> list[str]:
    people = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if len(people) < 2:
        raise errors.IntakeInvalid(errors.VISIT_STAFF_TOO_FEW.format(count=len(people)), field="staff_names")
    return people


@atomic_with_uploads
def application_visit_record(*, application: Application, by: Any, visited_on: date, staff_names: Sequence[str],
                             observations: str, photos: Sequence[UploadedFile] = (),
                             corrected_document: HouseholdDocument | None = None,
                             household_version: int | None = None) -> HomeVisit:
    """入户调查: who went, what they saw, photos, and the data as compared at that moment.

    A correction found at the visit is applied to the registry through `household_save` (versioned,
    audited); the snapshot then holds the corrected document and its assessment.
    """
    require(application, by=by, action="visit_record", states=[State.INVESTIGATING])
    visited_on = step_date(application, visited_on)
    investigation = current_investigation(application)
    assert investigation is not None  # every way into 调查核实 opens a round
    if visited_on < investigation.started_on:
        raise errors.WrongOrder(errors.VISIT_BEFORE_INVESTIGATION.format(on=visited_on,
                                                                         started=investigation.started_on))
    people, seen = _visit_staff(staff_names), (observations or "").strip()
    if not seen:
        raise errors.IntakeInvalid(errors.VISIT_OBSERVATIONS_REQUIRED, field="observations")
    extensions = [upload_check(photo, label=PHOTO_LABEL) for photo in photos]
    claim(application, by=by, action="visit_record", to=State.INVESTIGATING, on=visited_on,
          note=seen[:200], detail={"staff_names": people, "photos": len(photos),
                                   "corrected": corrected_document is not None})
    visit = _visit_create(application, investigation, by=by, visited_on=visited_on, people=people, seen=seen,
                          corrected_document=corrected_document, household_version=household_version)
    for photo, ext in zip(photos, extensions, strict=True):
        row = HomeVisitPhoto(visit=visit, original_name=(photo.name or "").rsplit("/", 1)[-1][:100])
        upload_store(row.file, f"photo{ext}", photo)
        row.save()
    return visit


def _visit_create(application: Application, investigation: Investigation, *, by: Any, visited_on: date,
                  people: list[str], seen: str, corrected_document: HouseholdDocument | None,
                  household_version: int | None) -> HomeVisit:
    household = Household.objects.get(pk=application.household_id)  # as it stands now, not as first loaded
    baseline = _last_seen(application) or document_to_dict(household_document(household))
    if corrected_document is not None:
        household = household_save(document=corrected_document, by=by, household=household,
                                   expected_version=household_version, action="home_visit")
        application.household = household
    after = household_document(household)
    snapshot = {"as_of": visited_on.isoformat(), "document": document_to_dict(after),
                "assessment": assessment_snapshot(after, visited_on)}
    return HomeVisit.objects.create(
        application=application, investigation=investigation, visited_on=visited_on, staff_names=people,
        observations=seen, snapshot=snapshot, corrections=document_dict_diff(baseline, snapshot["document"]),
        household_version=household.version, recorded_by=by)


def _last_seen(application: Application) -> dict[str, Any]:
    """What the office last held as verified: the previous visit's data, or what the family declared.

    Corrections are measured from there, so a correction made on the household pages during 调查核实
    (before the visit is recorded) is reported on the visit as well as one passed in with it.
    """
    previous = application.visits.order_by("-visited_on", "-pk").first()
    return previous.snapshot["document"] if previous is not None else application.declared_document


def proposal_of(assessment: dict[str, Any]) -> dict[str, bool]:
    """The engine's proposal per item. The tag is never given by the engine: it proposes verifying a
    monitoring candidate (DOMAIN §2), or keeping a tag the rural-affairs system already set."""
    categories = set(assessment.get("categories") or [])
    tagged = TAG in (assessment.get("tags") or []) or bool(assessment.get("monitoring_candidate"))
    return {item: (tagged if item == TAG else item in categories) for item in ITEMS}


@transaction.atomic
def application_investigation_complete(*, application: Application, by: Any, on: date | None = None) -> Review:
    """End 调查核实: the engine assesses the household as it now stands, for the township's review."""
    require(application, by=by, action="investigation_complete", states=[State.INVESTIGATING])
    on = step_date(application, on)
    investigation = current_investigation(application)
    if investigation is None or not investigation.visits.exists():
        raise errors.WrongOrder(errors.VISIT_REQUIRED)
    claim(application, by=by, action="investigation_complete", to=State.REVIEWING, on=on,
          detail={"round": investigation.round})
    document = household_document(application.household)
    assessment = assessment_snapshot(document, on)
    return Review.objects.create(application=application, round=investigation.round, as_of=on,
                                 document=document_to_dict(document), assessment=assessment,
                                 proposal=proposal_of(assessment))
