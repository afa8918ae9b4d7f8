"""Between the registry's rows and the household document (core.document).

`household_document` reads a stored household as a document; `document_diff` compares two
documents field by field, which is what the history timeline shows.
"""

from __future__ import annotations

from typing import Any

from safetynet.core.document import (
    Assets,
    Disability,
    HouseholdDocument,
    Income,
    Living,
    MemberDoc,
    Monitoring,
    ObligorDoc,
    RigidExpenses,
    VehicleDoc,
    document_to_dict,
)
from safetynet.registry.models import Household, Member, Membership


def _disability(kind: str, grade: int | None) -> Disability | None:
    return Disability(kind=kind, grade=grade) if kind and grade else None


def member_document(member: Member, membership: Membership) -> MemberDoc:
    return MemberDoc(
        name=member.name,
        id_number=member.id_number,
        relation=membership.relation,
        co_resident=membership.co_resident,
        excluded=membership.excluded or None,
        schooling=member.schooling,
        disability=_disability(member.disability_kind, member.disability_grade),
        labor=member.labor,
        illness=member.illness,
        employment=member.employment,
        self_care_failed=member.self_care_failed,
        medical_insured=member.medical_insured,
        income=Income(wages=member.income_wages, business=member.income_business,
                      property=member.income_property, transfer=member.income_transfer,
                      excluded=member.income_excluded),
        birth_date=member.birth_date,
        sex=member.sex,
    )


def active_memberships(household: Household) -> list[Membership]:
    return list(household.memberships.filter(ended_on__isnull=True).select_related("member")
                .order_by("position", "pk"))


def household_document(household: Household) -> HouseholdDocument:
    """The household as it stands now, in the document format of the reference cases."""
    return HouseholdDocument(
        code=household.code,
        region=household.region_id,
        residence=household.residence,
        address=household.address,
        members=[member_document(m.member, m) for m in active_memberships(household)],
        obligors=[
            ObligorDoc(name=o.name, supports=list(o.supports), age=o.age, status=o.status,
                       disability=_disability(o.disability_kind, o.disability_grade),
                       annual_income=o.annual_income, id_number=o.id_number or None)
            for o in household.obligors.all()
        ],
        assets=Assets(deposits=household.deposits, urban_houses=household.urban_houses,
                      business_capital=household.business_capital,
                      vehicles=[VehicleDoc(kind=v.kind, value=v.value) for v in household.vehicles.all()]),
        rigid_expenses=RigidExpenses(medical=household.rigid_medical, education=household.rigid_education,
                                     disability=household.rigid_disability),
        living=Living(housing_grade=household.housing_grade, water_safe=household.water_safe),
        monitoring=Monitoring(object=household.monitoring_object, kind=household.monitoring_kind or None),
    )


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", out)
    else:
        out[path] = value


def _keyed_members(data: dict[str, Any]) -> dict[str, Any]:
    """Members keyed by ID number, so reordering members is not reported as a change of each."""
    data = dict(data)
    data["members"] = {m["id_number"]: m for m in data.get("members", [])}
    return data


def document_diff(before: HouseholdDocument | None, after: HouseholdDocument) -> list[dict[str, Any]]:
    """Field-level changes: [{path, before, after}], member paths as members.<ID number>.field."""
    return document_dict_diff(document_to_dict(before) if before is not None else None, document_to_dict(after))


def document_dict_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """`document_diff` of two documents kept as JSON (a snapshot, what the family declared)."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    if before is not None:
        _flatten(_keyed_members(before), "", old)
    _flatten(_keyed_members(after), "", new)
    changes = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            changes.append({"path": path, "before": old.get(path), "after": new.get(path)})
    return changes
