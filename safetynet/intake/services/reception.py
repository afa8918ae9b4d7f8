"""申请, 受理, 补正, and the ways a case ends early (撤回, 终止) or gets more time (延长)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from safetynet.core.document import HouseholdDocument, document_to_dict
from safetynet.intake import errors
from safetynet.intake.models import CATEGORIES, CLOSED_STATES, Application, CorrectionNotice
from safetynet.intake.services._base import (
    State,
    claim,
    record,
    require,
    require_region,
    require_role,
    require_text,
    step_date,
)
from safetynet.intake.uploads import atomic_with_uploads, upload_check, upload_store
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, Member
from safetynet.registry.services import household_save

AUTHORIZATION_LABEL = "核对授权书"
OPEN_BEFORE_CONFIRMATION = [s for s in State.values if s not in CLOSED_STATES]


def _requested(categories: Sequence[str], tag: bool) -> list[str]:
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise errors.IntakeInvalid(errors.UNKNOWN_CATEGORY.format(code=unknown[0]), field="requested_categories")
    if not categories and not tag:
        raise errors.IntakeInvalid(errors.NOTHING_REQUESTED, field="requested_categories")
    return [c for c in CATEGORIES if c in set(categories)]  # DOMAIN §1 order, no duplicates


def _applicant(household: Household, id_number: str) -> Member:
    member = Member.objects.filter(id_number=(id_number or "").strip().upper(), memberships__household=household,
                                   memberships__ended_on__isnull=True).first()
    if member is None:
        raise errors.IntakeInvalid(errors.APPLICANT_NOT_MEMBER, field="applicant")
    return member


def _no_open_application(household: Household) -> None:
    open_one = household.applications.exclude(state__in=CLOSED_STATES).first()
    if open_one is not None:
        raise errors.IntakeInvalid(errors.OPEN_APPLICATION_EXISTS.format(
            number=open_one.number, state=open_one.get_state_display()), field="household")


def _save_household(*, by: Any, document: HouseholdDocument | None, household: Household | None,
                    expected_version: int | None) -> Household:
    if document is None and household is None:
        raise errors.IntakeInvalid(errors.NEED_HOUSEHOLD, field="household")
    require_region(by, document.region if document else household.region_id, "create")  # type: ignore[union-attr]
    if household is not None:
        _no_open_application(household)
    if document is None:
        return household  # type: ignore[return-value]
    return household_save(document=document, by=by, household=household, expected_version=expected_version,
                          action="application")


def _attach(application: Application, upload: UploadedFile | None) -> list[str]:
    if upload is None:
        return []
    ext = upload_check(upload, label=AUTHORIZATION_LABEL)
    upload_store(application.authorization, f"scan{ext}", upload)
    application.authorization_name = (upload.name or "").rsplit("/", 1)[-1][:100]
    return ["authorization", "authorization_name"]


@atomic_with_uploads
def application_create(*, by: Any, requested_categories: Sequence[str], applicant_id_number: str,
                       requested_tag: bool = False, document: HouseholdDocument | None = None,
                       household: Household | None = None, expected_version: int | None = None,
                       authorization: UploadedFile | None = None, note: str = "",
                       on: date | None = None) -> Application:
    """申请: one application for every category, for a new household (`document`) or an existing one.

    A new household is saved to the registry now, at 申请, through `household_save`: the office then
    holds the family's data under the registry's rules (one person, one household; versions; audit)
    from the first day, and later steps (visits, corrections, the review) work on one household row.
    """
    require_role(by, "create")
    on = step_date(None, on)
    categories = _requested(requested_categories, requested_tag)
    if authorization is not None:
        upload_check(authorization, label=AUTHORIZATION_LABEL)  # refuse a bad file before saving anything
    household = _save_household(by=by, document=document, household=household, expected_version=expected_version)
    _no_open_application(household)
    application = Application(household=household, region_id=household.region_id, created_by=by,
                              applicant=_applicant(household, applicant_id_number), submitted_on=on,
                              requested_categories=categories, requested_tag=requested_tag, note=note.strip(),
                              declared_document=document_to_dict(household_document(household)))
    _attach(application, authorization)
    application.save()
    record(application, by=by, action="create", from_state="", on=on, note=application.note,
           detail={"categories": categories, "tag": requested_tag, "household": household.code})
    return application


@transaction.atomic
def application_accept(*, application: Application, by: Any, on: date | None = None) -> None:
    """受理: the application is complete (from 申请 at once, or after 补正)."""
    require(application, by=by, action="accept", states=[State.SUBMITTED, State.RESUBMITTED])
    on = step_date(application, on)
    if not application.authorization:
        raise errors.IntakeInvalid(errors.AUTHORIZATION_MISSING, field="authorization")
    # What the family declared is the household as registered when the materials are complete (a new
    # family's other members are added on the household pages between 申请 and 受理).
    declared = document_to_dict(household_document(Household.objects.get(pk=application.household_id)))
    claim(application, by=by, action="accept", to=State.ACCEPTED, on=on, accepted_on=on, declared_document=declared)


@transaction.atomic
def application_correction_request(*, application: Application, by: Any, items: Sequence[str],
                                   on: date | None = None) -> CorrectionNotice:
    """补正: ONE notice listing everything missing (一次性告知). The clock stops until resubmission."""
    require(application, by=by, action="correction_request", states=[State.SUBMITTED])
    on = step_date(application, on)
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise errors.IntakeInvalid(errors.CORRECTION_ITEMS_REQUIRED, field="items")
    earlier = CorrectionNotice.objects.filter(application=application).first()
    if earlier is not None:
        raise errors.WrongOrder(errors.CORRECTION_ONCE.format(on=earlier.issued_on))
    claim(application, by=by, action="correction_request", to=State.CORRECTION_REQUESTED, on=on,
          note="；".join(items), detail={"items": items})
    return CorrectionNotice.objects.create(application=application, items=items, issued_on=on, issued_by=by)


@atomic_with_uploads
def application_resubmit(*, application: Application, by: Any, authorization: UploadedFile | None = None,
                         document: HouseholdDocument | None = None, expected_version: int | None = None,
                         note: str = "", on: date | None = None) -> None:
    """The family brought the missing materials: the notice closes and the clock runs again."""
    require(application, by=by, action="resubmit", states=[State.CORRECTION_REQUESTED])
    on = step_date(application, on)
    if authorization is not None:
        upload_check(authorization, label=AUTHORIZATION_LABEL)
    fields = _attach(application, authorization)
    if document is not None:
        household = household_save(document=document, by=by, household=application.household,
                                   expected_version=expected_version, action="application_correction")
        application.declared_document = document_to_dict(household_document(household))
        fields.append("declared_document")
    claim(application, by=by, action="resubmit", to=State.RESUBMITTED, on=on, note=note.strip(),
          **{name: getattr(application, name) for name in fields})
    CorrectionNotice.objects.filter(application=application).update(closed_on=on, closed_by=by,
                                                                     closing_note=note.strip())
    application.correction.refresh_from_db()


def _before_confirmation(application: Application, verb: str) -> None:
    if application.confirmations.exists():
        raise errors.WrongOrder(errors.CONFIRMATION_STARTED.format(action=verb))


@transaction.atomic
def application_withdraw(*, application: Application, by: Any, reason: str, on: date | None = None) -> None:
    """撤回: the family withdraws (recorded by the clerk), at any time before the county confirms."""
    require(application, by=by, action="withdraw", states=OPEN_BEFORE_CONFIRMATION)
    on = step_date(application, on)
    reason = require_text(reason, "撤回申请")
    _before_confirmation(application, "撤回")
    claim(application, by=by, action="withdraw", to=State.WITHDRAWN, on=on, note=reason, closed_on=on)


@transaction.atomic
def application_terminate(*, application: Application, by: Any, reason: str, on: date | None = None) -> None:
    """终止: the office cannot go on (e.g. the family cannot be reached), with the reason written down."""
    require(application, by=by, action="terminate", states=OPEN_BEFORE_CONFIRMATION)
    on = step_date(application, on)
    reason = require_text(reason, "终止办理")
    _before_confirmation(application, "终止")
    claim(application, by=by, action="terminate", to=State.TERMINATED, on=on, note=reason, closed_on=on)


@transaction.atomic
def application_extend(*, application: Application, by: Any, reason: str, on: date | None = None) -> None:
    """延长: the whole path may take procedure.extended_workdays (45) instead of 30, once, with a reason."""
    require(application, by=by, action="extend", states=OPEN_BEFORE_CONFIRMATION)
    on = step_date(application, on)
    if application.accepted_on is None:
        raise errors.WrongOrder(errors.EXTEND_NOT_ACCEPTED)
    if application.extended:
        raise errors.WrongOrder(errors.ALREADY_EXTENDED.format(on=application.extended_on))
    reason = require_text(reason, "延长办理时限")
    claim(application, by=by, action="extend", to=application.state, on=on, note=reason, extended=True,
          extension_reason=reason, extended_on=on, extended_by=by)
