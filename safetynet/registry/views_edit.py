"""Household create and edit pages (新建家庭、修改家庭和成员).

Each page starts from the household document, puts the form's values into it and saves the whole
document through `household_save`; its validation messages come back onto the form fields. Access:
`access_household` (404 for missing and not-yours), then `user_may_edit_region` (403 for see-only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.core.document import (
    DocumentInvalid,
    HouseholdDocument,
    document_to_dict,
    parse_household_document,
)
from safetynet.registry.documents import household_document
from safetynet.registry.form_errors import attach_errors, error_summary
from safetynet.registry.forms import (
    HouseholdCreateForm,
    HouseholdEditForm,
    MemberForm,
    MemberRemoveForm,
    ObligorForm,
    ObligorFormSet,
    VehicleFormSet,
    member_pop,
    member_put,
)
from safetynet.registry.models import Household, Member, Membership
from safetynet.registry.selectors import NOT_FOUND, access_household
from safetynet.registry.services import (
    NOT_ALLOWED,
    STALE_VERSION,
    EditNotAllowed,
    StaleHousehold,
    household_save,
    member_move,
    user_may_edit_region,
)

SAVED = "已保存（第{version}版）"
HEAD_ELSEWHERE = "此人是户{code}的户主，不能直接迁入；请先在原户更换户主"
Write = Callable[[HouseholdDocument], Household]


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _editable_household(request: HttpRequest, pk: int) -> Household:
    household = access_household(request.user, pk)
    if not user_may_edit_region(request.user, household.region_id):
        raise PermissionDenied(NOT_ALLOWED)
    return household


def _active_membership(household: Household, member_pk: int) -> Membership:
    membership = (household.memberships.filter(member_id=member_pk, ended_on__isnull=True)
                  .select_related("member").first())
    if membership is None:
        raise Http404(NOT_FOUND)
    return membership


def _document_data(household: Household) -> dict[str, Any]:
    return document_to_dict(household_document(household))


def _member_index(data: dict[str, Any], id_number: str) -> int:
    return next(i for i, m in enumerate(data["members"]) if m["id_number"] == id_number)


def _head_name(data: dict[str, Any], *, other_than: int | None = None) -> str:
    return next((m["name"] for i, m in enumerate(data["members"]) if m["relation"] == "self" and i != other_than),
                "")


def _save(request: HttpRequest, data: dict[str, Any], *, write: Write, targets: dict[str, Any],
          fallback: Any, valid: bool = True) -> Household | None:
    """Validate and save the document; on refusal put the messages on the forms and return None.

    The document is checked even when a form was not `valid`, so the page lists every error at once.
    """
    try:
        document = parse_household_document(data, today=timezone.localdate())
        return write(document) if valid else None
    except DocumentInvalid as error:
        attach_errors(error.errors, targets=targets, fallback=fallback, data=data)
    except StaleHousehold as error:
        fallback.add_error(None, str(error))
    except EditNotAllowed as error:
        raise PermissionDenied(str(error)) from error
    return None


def _saved(request: HttpRequest, household: Household) -> HttpResponse:
    """Back to the household, or to the page that sent the user here (an application being investigated)."""
    messages.success(request, SAVED.format(version=household.version))
    back = request.GET.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("registry:household_detail", pk=household.pk)


def _render(request: HttpRequest, template: str, context: dict[str, Any], *forms: Any) -> HttpResponse:
    status = 422 if request.method == "POST" else 200  # a POST that reaches here was refused
    return render(request, template, {**context, "error_summary": error_summary(*forms)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied(NOT_ALLOWED)
    form = HouseholdCreateForm(_post(request), user=request.user)
    head = MemberForm(_post(request), prefix="head", head=True)
    if request.method == "POST":
        valid = all([form.is_valid(), head.is_valid()])
        data = {**form.household_data(), "members": [head.member_data()]}
        household = _save(request, data, targets={"members[0]": head, "": form}, fallback=form, valid=valid,
                          write=lambda doc: household_save(document=doc, by=request.user))
        if household is not None:
            return _saved(request, household)
    return _render(request, "registry/household_form.html", {"form": form, "head_form": head}, form, head)


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _editable_household(request, pk)
    data = _document_data(household)
    form = HouseholdEditForm(_post(request), user=request.user,
                             initial=HouseholdEditForm.initial_from(data, version=household.version))
    vehicles = VehicleFormSet(_post(request), prefix="vehicles", initial=data["assets"]["vehicles"])
    obligors = ObligorFormSet(_post(request), prefix="obligors",
                              initial=[ObligorForm.initial_from(o) for o in data["obligors"]],
                              form_kwargs={"member_names": [m["name"] for m in data["members"]]})
    if request.method == "POST":
        valid = all([form.is_valid(), vehicles.is_valid(), obligors.is_valid()])
        form.apply(data, vehicles=vehicles, obligors=obligors)
        targets = {**vehicles.targets("assets.vehicles"), **obligors.targets("obligors"), "": form}
        saved = _save(request, data, targets=targets, fallback=form, valid=valid, write=lambda doc: household_save(
            document=doc, household=household, by=request.user, expected_version=form.cleaned_data["version"]))
        if saved is not None:
            return _saved(request, saved)
    context = {"form": form, "vehicles": vehicles, "obligors": obligors, "household": household,
               "members": household.memberships.filter(ended_on__isnull=True).select_related("member")}
    return _render(request, "registry/household_form.html", context, form, vehicles, obligors)


@transaction.atomic
def _move_in(document: HouseholdDocument, *, member: Member, household: Household, relation: str, by: Any,
             expected_version: int) -> Household:
    """迁入: close the person's membership elsewhere (kept, by `member_move`), then save this household."""
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.version != expected_version:
        raise StaleHousehold(STALE_VERSION.format(current=locked.version, expected=expected_version))
    member_move(member=member, to=locked, relation=relation, by=by)
    return household_save(document=document, household=locked, by=by, expected_version=locked.version)


def _membership_elsewhere(id_number: str, household: Household) -> Membership | None:
    return (Membership.objects.filter(member__id_number=id_number, ended_on__isnull=True)
            .exclude(household=household).select_related("member", "household").first())


def _movable(request: HttpRequest, elsewhere: Membership | None) -> bool:
    """从原户迁入 only for someone who may edit both households, and never the other household's head."""
    return (elsewhere is not None and elsewhere.relation != "self"
            and user_may_edit_region(request.user, elsewhere.household.region_id))


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = _editable_household(request, pk)
    data = _document_data(household)
    form = MemberForm(_post(request), initial={"version": household.version, "relation": "child"},
                      current_head=_head_name(data), allow_move=True)
    if request.method == "POST":
        valid = form.is_valid()
        index = member_put(data, form, index=None)
        member, version = data["members"][index], form.value("version")
        elsewhere = _membership_elsewhere(member["id_number"], household)
        movable = _movable(request, elsewhere)
        if form.cleaned_data["move_in"] and movable:
            def write(doc: HouseholdDocument) -> Household:
                return _move_in(doc, member=elsewhere.member, household=household, relation=member["relation"],
                                by=request.user, expected_version=version)
        else:
            def write(doc: HouseholdDocument) -> Household:
                return household_save(document=doc, household=household, by=request.user, expected_version=version)
        saved = _save(request, data, write=write, targets={f"members[{index}]": form, "members": form},
                      fallback=form, valid=valid)
        if saved is not None:
            return _saved(request, saved)
        form.offer_move = movable
        if elsewhere is not None and elsewhere.relation == "self":
            form.add_error("id_number", HEAD_ELSEWHERE.format(code=elsewhere.household.code))
    return _render(request, "registry/member_form.html", {"form": form, "household": household}, form)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    household = _editable_household(request, pk)
    membership = _active_membership(household, member_pk)
    data = _document_data(household)
    index = _member_index(data, membership.member.id_number)
    form = MemberForm(_post(request), initial={**MemberForm.initial_from(data["members"][index]),
                                              "version": household.version},
                      current_head=_head_name(data, other_than=index), id_optional=True)
    if request.method == "POST":
        valid = form.is_valid()
        member_put(data, form, index=index)
        saved = _save(request, data, targets={f"members[{index}]": form, "members": form}, fallback=form,
                      valid=valid, write=lambda doc: household_save(document=doc, household=household, by=request.user,
                                                       expected_version=form.cleaned_data["version"]))
        if saved is not None:
            return _saved(request, saved)
    context = {"form": form, "household": household, "membership": membership}
    return _render(request, "registry/member_form.html", context, form)


@transaction.atomic
def _member_remove(document: HouseholdDocument, *, household: Household, membership: Membership, by: Any,
                   expected_version: int, end_reason: str) -> Household:
    """The service closes the membership (kept, with its end date); the reason given is kept with it."""
    saved = household_save(document=document, household=household, by=by, expected_version=expected_version,
                           action="member_remove")
    Membership.objects.filter(pk=membership.pk, ended_on__isnull=False).update(end_reason=end_reason[:100])
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    household = _editable_household(request, pk)
    membership = _active_membership(household, member_pk)
    form = MemberRemoveForm(_post(request), initial={"version": household.version},
                            is_head=membership.relation == "self")
    if request.method == "POST" and form.is_valid():
        data = _document_data(household)
        member_pop(data, _member_index(data, membership.member.id_number))
        saved = _save(request, data, targets={}, fallback=form, write=lambda doc: _member_remove(
            doc, household=household, membership=membership, by=request.user,
            expected_version=form.cleaned_data["version"], end_reason=form.end_reason()))
        if saved is not None:
            return _saved(request, saved)
    context = {"form": form, "household": household, "membership": membership}
    return _render(request, "registry/member_remove.html", context, form)
