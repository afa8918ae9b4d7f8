"""Downloads of the intake PDFs. Reached through the intake selectors (404 for missing and not-yours alike);
every download is audited as an export of the application (label without any ID number)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.services import audit_record
from safetynet.intake import documents
from safetynet.intake.models import Application, Publicity
from safetynet.intake.selectors import access_application, applications_for

NO_PUBLICITY = "该村在所选日期没有正在公示的对象"
BAD_DATE = "日期格式应为 YYYY-MM-DD，例如 2025-09-05"


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _unavailable(error: documents.DocumentUnavailable) -> HttpResponse:
    return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")


def _application(request: HttpRequest, pk: int) -> Application:
    if not has_capability(request.user, Capability.VIEW_HOUSEHOLDS):
        raise PermissionDenied
    return access_application(request.user, pk)


def _audit(request: HttpRequest, application: Application, paper: str, **detail: Any) -> None:
    audit_record(by=request.user, action="export", object_type="application", object_id=application.pk,
                 object_label=f"申请{application.number}（户{application.household.code}）",
                 region_code=application.region_id, detail={"document": paper, "format": "pdf", **detail})


def _download(paper: str, title: str, render: Callable[[Application], bytes]) -> Callable[..., HttpResponse]:
    """A download view of one application's paper: scoped access, render, audit, attachment."""
    @login_required
    @never_cache
    @require_GET
    def view(request: HttpRequest, application_pk: int) -> HttpResponse:
        application = _application(request, application_pk)
        try:
            pdf = render(application)
        except documents.DocumentUnavailable as error:
            return _unavailable(error)
        _audit(request, application, paper)
        return _pdf_response(pdf, f"{title}-{application.number}.pdf")

    view.__name__ = f"{paper}_pdf"
    return view


def _latest_publicity(application: Application) -> bytes:
    publicity = application.publicities.order_by("-start_on", "-pk").first()
    if publicity is None:
        raise documents.DocumentUnavailable("该申请尚未公示")
    return documents.publicity_list_pdf(publicity)


application_form_pdf = _download("application_form", "申请表", documents.application_form_pdf)
correction_notice_pdf = _download("correction_notice", "补正告知书", documents.correction_notice_pdf)
decision_letter_pdf = _download("decision_letter", "认定决定书", documents.decision_letter_pdf)
publicity_pdf = _download("publicity_list", "公示名单", _latest_publicity)


@login_required
@never_cache
@require_GET
def home_visit_pdf(request: HttpRequest, application_pk: int, visit_pk: int) -> HttpResponse:
    application = _application(request, application_pk)
    visit = get_object_or_404(application.visits.select_related("investigation"), pk=visit_pk)
    pdf = documents.home_visit_pdf(visit)
    _audit(request, application, "home_visit", visit=visit.pk)
    return _pdf_response(pdf, f"入户调查记录-{application.number}-{visit.visited_on:%Y%m%d}.pdf")


@login_required
@never_cache
@require_GET
def village_publicity_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The notice board of one village on a day (`?on=YYYY-MM-DD`, default today): every running 公示."""
    if not has_capability(request.user, Capability.VIEW_HOUSEHOLDS) or len(code) != 12:
        raise Http404(NO_PUBLICITY)
    try:
        on = date.fromisoformat(request.GET.get("on") or timezone.localdate().isoformat())
    except ValueError:
        return HttpResponse(BAD_DATE, status=400, content_type="text/plain; charset=utf-8")
    applications = applications_for(request.user, region=code)
    notices = list(Publicity.objects.filter(application__in=applications, start_on__lte=on, end_on__gte=on,
                                            interrupted_on__isnull=True)
                   .select_related("application__region").order_by("start_on", "pk"))
    if not notices:
        raise Http404(NO_PUBLICITY)
    audit_record(by=request.user, action="export", object_type="publicity", object_id=code,
                 object_label=f"公示名单（{code}）", region_code=code,
                 detail={"document": "publicity_list", "format": "pdf", "on": on.isoformat(),
                         "applications": [n.application.number for n in notices]})
    return _pdf_response(documents.publicity_list_pdf(notices), f"公示名单-{code}-{on:%Y%m%d}.pdf")


# Added to intake/urls.py with one line (`*views_documents.urlpatterns`), under the app's namespace.
urlpatterns: list[URLPattern] = [
    path("<int:application_pk>/pdf/application-form/", application_form_pdf, name="application_form_pdf"),
    path("<int:application_pk>/pdf/correction-notice/", correction_notice_pdf, name="correction_notice_pdf"),
    path("<int:application_pk>/pdf/publicity/", publicity_pdf, name="publicity_pdf"),
    path("<int:application_pk>/pdf/decision-letter/", decision_letter_pdf, name="decision_letter_pdf"),
    path("<int:application_pk>/visits/<int:visit_pk>/pdf/", home_visit_pdf, name="home_visit_pdf"),
    path("village/<str:code>/publicity.pdf", village_publicity_pdf, name="village_publicity_pdf"),
]
