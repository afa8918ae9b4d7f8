"""Pages of the one-window path (一门受理): my tasks, the application list, an application and its steps.

Views are thin: parse the form, call one service, redirect (or show the service's Chinese message on
the form). Access: `access_application` (404 for missing and not-yours alike), then the role (403 for
someone who may see the application but not take the step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetynet.accounts.choices import Role
from safetynet.accounts.permissions import Capability, has_capability
from safetynet.core.document import DocumentInvalid, HouseholdDocument, document_to_dict, parse_household_document
from safetynet.intake import forms, services
from safetynet.intake.deadlines import application_clock, procedure_value
from safetynet.intake.errors import ActionNotAllowed, IntakeError
from safetynet.intake.models import CLOSED_STATES, ITEMS, Application, HomeVisitPhoto
from safetynet.intake.permissions import ACTION_LABELS, role_may
from safetynet.intake.selectors import (
    access_application,
    application_history,
    applications_for,
    queue_summary_for,
    tasks_for,
    visit_corrections,
)
from safetynet.registry.form_errors import attach_errors, error_summary
from safetynet.registry.forms import HouseholdCreateForm, MemberForm
from safetynet.registry.selectors import access_household
from safetynet.registry.services import EditNotAllowed, user_may_edit_region

State = Application.State
Run = Callable[[Any, Application, Any], Any]
OPEN = [s for s in State.values if s not in CLOSED_STATES]
STEPS = ["申请", "受理", "调查核实", "分类审核", "公示", "确认", "生效"]
STEP_OF = {State.SUBMITTED: 0, State.CORRECTION_REQUESTED: 0, State.RESUBMITTED: 0, State.ACCEPTED: 1,
           State.INVESTIGATING: 2, State.REVIEWING: 3, State.PUBLICITY: 4, State.CONFIRMED: 5, State.REFUSED: 5,
           State.EFFECTIVE: 6}
# What the history calls each recorded step: the services' verbs, and the closing steps they record themselves.
EVENT_LABELS = {**ACTION_LABELS, "close_confirmed": "确认办结", "close_refused": "不予确认办结",
                "take_effect": "认定生效", "confirm_categories": "县级审核救助类别",
                "confirm_tag": "县级审核防止返贫监测标识"}
QUEUE_ROLES = {Role.TOWNSHIP_CLERK, Role.TOWNSHIP_REVIEWER, Role.COUNTY_CIVIL, Role.COUNTY_RURAL}


@dataclass(frozen=True)
class Action:
    """One step on the application page: who (permissions.ACTION_ROLES keys), when, its form and its service."""

    label: str
    roles: tuple[str, ...]
    form: type[forms.ActionForm]
    run: Run
    shown: Callable[[Application], bool]
    danger: bool = False


def _review_state(application: Application, *, decided: bool) -> bool:
    review = services.current_review(application)
    return (application.state == State.REVIEWING and review is not None
            and (review.decided_on is not None) == decided)


def _in(*states: str) -> Callable[[Application], bool]:
    return lambda application: application.state in states


ACTIONS: dict[str, Action] = {
    "accept": Action("受理", ("accept",), forms.AcceptForm, lambda f, a, u: services.application_accept(
        application=a, by=u, on=f.cleaned_data["on"]), _in(State.SUBMITTED, State.RESUBMITTED)),
    "correction_request": Action("一次性告知补正", ("correction_request",), forms.CorrectionForm,
                                 lambda f, a, u: services.application_correction_request(
                                     application=a, by=u, items=f.item_list(), on=f.cleaned_data["on"]),
                                 _in(State.SUBMITTED)),
    "resubmit": Action("登记补正材料", ("resubmit",), forms.ResubmitForm, lambda f, a, u: services.application_resubmit(
        application=a, by=u, authorization=f.cleaned_data["authorization"], note=f.cleaned_data["note"],
        on=f.cleaned_data["on"]), _in(State.CORRECTION_REQUESTED)),
    "investigation_start": Action("开始调查核实", ("investigation_start",), forms.InvestigationStartForm,
                                  lambda f, a, u: services.application_investigation_start(
                                      application=a, by=u, staff=list(f.cleaned_data["staff"]),
                                      on=f.cleaned_data["on"]), _in(State.ACCEPTED)),
    "visit_record": Action("记录入户调查", ("visit_record",), forms.VisitForm,
                           lambda f, a, u: services.application_visit_record(
                               application=a, by=u, visited_on=f.cleaned_data["on"], staff_names=f.names(),
                               observations=f.cleaned_data["observations"], photos=f.cleaned_data["photos"]),
                           _in(State.INVESTIGATING)),
    "investigation_complete": Action("完成调查核实，提交审核", ("investigation_complete",), forms.CompleteForm,
                                     lambda f, a, u: services.application_investigation_complete(
                                         application=a, by=u, on=f.cleaned_data["on"]), _in(State.INVESTIGATING)),
    "review_decide": Action("作出分类审核意见", ("review_decide",), forms.ReviewForm,
                            lambda f, a, u: services.application_review_decide(
                                application=a, by=u, decisions=f.decisions(), reasons=f.reasons(),
                                on=f.cleaned_data["on"]), lambda a: _review_state(a, decided=False)),
    "publicity_start": Action("开始公示", ("publicity_start",), forms.PublicityForm,
                              lambda f, a, u: services.application_publicity_start(
                                  application=a, by=u, start_on=f.cleaned_data["on"]),
                              lambda a: _review_state(a, decided=True)),
    "objection_record": Action("登记公示异议", ("objection_record",), forms.ObjectionForm,
                               lambda f, a, u: services.application_objection_record(
                                   application=a, by=u, content=f.cleaned_data["content"],
                                   received_on=f.cleaned_data["on"]), _in(State.PUBLICITY)),
    "confirm": Action("确认", ("confirm_categories", "confirm_tag"), forms.ConfirmForm,
                      lambda f, a, u: services.application_confirm(
                          application=a, by=u, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]),
                      _in(State.PUBLICITY)),
    "refuse": Action("不予确认", ("confirm_categories", "confirm_tag"), forms.ReasonForm,
                     lambda f, a, u: services.application_refuse(
                         application=a, by=u, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]),
                     lambda a: a.state == State.PUBLICITY or _review_state(a, decided=True), danger=True),
    "extend": Action("延长办理时限", ("extend",), forms.ReasonForm, lambda f, a, u: services.application_extend(
        application=a, by=u, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]),
        lambda a: a.is_open and a.accepted_on is not None and not a.extended),
    "withdraw": Action("登记撤回申请", ("withdraw",), forms.ReasonForm, lambda f, a, u: services.application_withdraw(
        application=a, by=u, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]),
        lambda a: a.is_open, danger=True),
    "terminate": Action("终止办理", ("terminate",), forms.ReasonForm, lambda f, a, u: services.application_terminate(
        application=a, by=u, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]),
        lambda a: a.is_open, danger=True),
}


def _may(user: Any, action: Action) -> bool:
    return any(role_may(user, role) for role in action.roles)


def _form(name: str, application: Application, data: Any = None, files: Any = None) -> forms.ActionForm:
    extra: dict[str, Any] = {}
    if name == "review_decide":
        review = services.current_review(application)
        extra["proposal"] = review.proposal if review else {}
    return ACTIONS[name].form(data, files, application=application, prefix=name, **extra)


def _action_forms(user: Any, application: Application, bound: tuple[str, Any] | None) -> list[dict[str, Any]]:
    shown = [n for n, a in ACTIONS.items() if _may(user, a) and a.shown(application)
             or (bound is not None and bound[0] == n)]  # a refused form stays, with its message, even if now moot
    return [{"name": n, "action": ACTIONS[n], "url": reverse(f"intake:application_{n}", args=[application.pk]),
             "form": bound[1] if bound and bound[0] == n else _form(n, application)} for n in shown]


# ---- pages that read ----------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    user = request.user
    queue = queue_summary_for(user) if getattr(user, "role", "") in QUEUE_ROLES or user.is_superuser else []
    context = {"tasks": tasks_for(user), "queue": queue, "states": dict(State.choices)}
    return render(request, "intake/tasks.html", context)


@login_required
@never_cache
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    page = Paginator(applications_for(request.user, state=state), 50).get_page(request.GET.get("page"))
    return render(request, "intake/application_list.html",
                  {"page": page, "state": state, "states": State.choices,
                   "can_apply": _may_apply_new_family(request.user)})


def _publicity_preview(application: Application, review: Any) -> str:
    """The masked notice as it will read if 公示 starts today (the service writes the real one)."""
    if review is None or review.decided_on is None or not services.approved_items(review):
        return ""
    start = timezone.localdate()
    end = start + timedelta(days=procedure_value("publicity_days", region=application.region_id, on=start) - 1)
    return services.publicity_notice(application, review, services.approved_items(review), start, end)["notice_text"]


def _household_edit(user: Any, application: Application) -> str:
    """Whether the page offers the household's own pages: to complete the declaration before 受理
    ("declare"), or to correct it from what the visit found during 调查核实 ("correct")."""
    if not user_may_edit_region(user, application.region_id):
        return ""
    if application.state in (State.SUBMITTED, State.CORRECTION_REQUESTED, State.RESUBMITTED):
        return "declare" if role_may(user, "accept") else ""
    if application.state == State.INVESTIGATING:
        return "correct" if role_may(user, "visit_record") else ""
    return ""


def _detail_context(request: HttpRequest, application: Application,
                    bound: tuple[str, Any] | None = None) -> dict[str, Any]:
    review = services.current_review(application)
    household_edit = _household_edit(request.user, application)
    return {
        "application": application, "household": application.household,
        "steps": STEPS, "step": STEP_OF.get(application.state, -1),
        "clock": application_clock(application),
        "items": ITEMS, "requested": [ITEMS[c] for c in application.requested_categories],
        "events": application_history(application),
        "investigations": application.investigations.prefetch_related("staff").order_by("round"),
        "visits": [(visit, visit_corrections(visit))
                   for visit in application.visits.prefetch_related("photos").order_by("pk")],
        "household_edit": household_edit,
        "members": (application.household.memberships.filter(ended_on__isnull=True).select_related("member")
                    .order_by("position", "pk") if household_edit else []),
        "review": review, "decisions": review.decisions.order_by("pk") if review else [],
        "publicities": application.publicities.order_by("pk"),
        "objections": application.objections.order_by("pk"),
        "confirmations": application.confirmations.select_related("by").order_by("pk"),
        "actions": _action_forms(request.user, application, bound),
        "publicity_preview": _publicity_preview(application, review) if application.state == State.REVIEWING else "",
        "labels": EVENT_LABELS,
    }


@login_required
@never_cache
@require_GET
def application_detail(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = access_application(request.user, application_pk)
    return render(request, "intake/application_detail.html", _detail_context(request, application))


# ---- pages that act -------------------------------------------------------------------------------------


def _refuse(form: Any, error: IntakeError) -> None:
    field = getattr(error, "field", "")
    form.add_error(field if field in form.fields else None, str(error))


@login_required
@require_POST
def application_act(request: HttpRequest, application_pk: int, action: str) -> HttpResponse:
    application = access_application(request.user, application_pk)
    step = ACTIONS[action]
    if not _may(request.user, step):
        raise PermissionDenied(f"您的角色不能{step.label}")
    form = _form(action, application, request.POST, request.FILES)
    if form.is_valid():
        application.version = form.cleaned_data["version"]  # a page loaded before someone else acted is stale
        try:
            step.run(form, application, request.user)
        except ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except IntakeError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"已{step.label}（申请{application.number}，{application.get_state_display()}）")
            return redirect("intake:application_detail", application_pk=application.pk)
    application = access_application(request.user, application_pk)  # the page as it now stands
    context = _detail_context(request, application, bound=(action, form))
    return render(request, "intake/application_detail.html", {**context, "open_action": action}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = access_household(request.user, household_pk)
    if not role_may(request.user, "create"):
        raise PermissionDenied("您的角色不能登记申请")
    members = list(household.memberships.filter(ended_on__isnull=True).select_related("member")
                   .order_by("position", "pk"))
    form = forms.ApplicationCreateForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                by=request.user, household=household, requested_categories=data["requested_categories"],
                requested_tag=data["requested_tag"], applicant_id_number=data["applicant"],
                authorization=data["authorization"], note=data["note"], on=data["on"])
        except ActionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except IntakeError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"已登记申请{application.number}")
            return redirect("intake:application_detail", application_pk=application.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "intake/application_create.html", {"form": form, "household": household},
                  status=status)


def _may_apply_new_family(user: Any) -> bool:
    """A new family's application also creates its household in the registry: those who may apply and
    edit households (township clerks; grid workers apply for families already registered)."""
    return role_may(user, "create") and has_capability(user, Capability.EDIT_HOUSEHOLDS)


@login_required
@require_http_methods(["GET", "POST"])
def application_create_new(request: HttpRequest) -> HttpResponse:
    """申请 by a family not yet in the registry: its household is created with the application (one form).

    Other members are added on the household's pages before 受理; what the family declared is the
    household as it stands at 受理.
    """
    if not _may_apply_new_family(request.user):
        raise PermissionDenied("您的角色不能登记申请")
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    household_form = HouseholdCreateForm(post, user=request.user, prefix="household")
    head = MemberForm(post, prefix="head", head=True)
    form = forms.NewHouseholdApplicationForm(post, files)
    if request.method == "POST":
        valid = all([household_form.is_valid(), head.is_valid(), form.is_valid()])
        data = {**household_form.household_data(), "members": [head.member_data()]}
        try:
            document = parse_household_document(data, today=timezone.localdate())
        except DocumentInvalid as invalid:
            attach_errors(invalid.errors, targets={"members[0]": head, "": household_form}, fallback=household_form,
                          data=data)
        else:
            if valid:
                application = _create_for_new_household(request, form, document, household_form)
                if application is not None:
                    messages.success(request, f"已登记申请{application.number}（新建户{application.household.code}）")
                    return redirect("intake:application_detail", application_pk=application.pk)
    context = {"form": form, "household_form": household_form, "head_form": head,
               "error_summary": error_summary(household_form, head, form)}
    return render(request, "intake/application_create_new.html", context,
                  status=422 if request.method == "POST" else 200)


def _create_for_new_household(request: HttpRequest, form: forms.NewHouseholdApplicationForm,
                              document: HouseholdDocument, household_form: Any) -> Application | None:
    data = form.cleaned_data
    try:
        return services.application_create(
            by=request.user, document=document, applicant_id_number=document.members[0].id_number,
            requested_categories=data["requested_categories"], requested_tag=data["requested_tag"],
            authorization=data["authorization"], note=data["note"], on=data["on"])
    except (ActionNotAllowed, EditNotAllowed) as error:
        raise PermissionDenied(str(error)) from error
    except DocumentInvalid as invalid:  # e.g. someone of the family is already in another household
        attach_errors(invalid.errors, targets={"": household_form}, fallback=household_form,
                      data=document_to_dict(document))
    except IntakeError as error:
        _refuse(form, error)
    return None


# ---- uploaded files (never served statically) -----------------------------------------------------------


@login_required
@require_GET
def authorization_file(request: HttpRequest, application_pk: int) -> FileResponse:
    application = access_application(request.user, application_pk)
    if not application.authorization:
        raise Http404("尚未上传核对授权书")
    return FileResponse(application.authorization.open("rb"), filename=application.authorization_name or None)


@login_required
@require_GET
def visit_photo(request: HttpRequest, application_pk: int, photo_pk: int) -> FileResponse:
    application = access_application(request.user, application_pk)
    photo = HomeVisitPhoto.objects.filter(pk=photo_pk, visit__application=application).first()
    if photo is None:
        raise Http404("未找到该照片")
    return FileResponse(photo.file.open("rb"), filename=photo.original_name or None)
