"""The 认定依据 panel of a household page and its printable PDF: the household as it stands, assessed.

The panel is loaded by htmx into the household page; viewing it is audited as a view of the household
(detail `{"assessment": date}`), downloading the PDF as an export. Both are reached through
`access_household`, so region scoping applies, and show ID numbers masked only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.services import audit_record
from safetynet.core.document import DocumentInvalid
from safetynet.parameters.selectors import effective_parameters
from safetynet.regions.models import Region
from safetynet.registry.assessment import DateInvalid, as_of_parse, document_assess
from safetynet.registry.assessment_display import assessment_view
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household
from safetynet.registry.selectors import access_household

PLATFORM = "低收入人口动态监测与常态化帮扶平台"


def _require_view(user: Any) -> None:
    if not has_capability(user, Capability.VIEW_HOUSEHOLDS):
        raise PermissionDenied


def _describe(params: Any) -> Any:
    def describe(name: str) -> tuple[str, str]:
        try:
            return params.describe(name)
        except (KeyError, LookupError):
            return name, ""

    return describe


def _context(household: Household, on: date) -> dict[str, Any]:
    """The assessment of the stored household on `on`, or the reasons it cannot be made."""
    params = effective_parameters()
    context: dict[str, Any] = {"household": household, "on": on, "today": timezone.localdate(), "errors": []}
    try:
        result = document_assess(household_document(household), on=on, params=params)
    except DocumentInvalid as error:
        context["errors"] = [e.message for e in error.errors]
    else:
        context["assessment"] = assessment_view(result, describe=_describe(params))
    context["panel_url"] = reverse("registry:household_assessment", args=[household.pk])
    pdf = reverse("registry:household_assessment_pdf", args=[household.pk])
    context["pdf_url"] = f"{pdf}?on={on:%Y-%m-%d}"
    return context


def _audit(request: HttpRequest, household: Household, *, action: str, on: date, **detail: Any) -> None:
    audit_record(by=request.user, action=action, object_type="household", object_id=household.pk,
                 object_label=f"户{household.code}", region_code=household.region_id,
                 detail={"assessment": on.isoformat(), **detail})


def _bad_date(request: HttpRequest, household: Household, error: DateInvalid) -> HttpResponse:
    today = timezone.localdate()
    context = {"household": household, "on": today, "today": today, "errors": [str(error)],
               "panel_url": reverse("registry:household_assessment", args=[household.pk])}
    return render(request, "registry/_assessment_panel.html", context, status=400)


@login_required
@never_cache
@require_GET
def household_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The 认定依据 panel (`?on=YYYY-MM-DD`, default today); a whole page when not asked by htmx."""
    _require_view(request.user)
    household = access_household(request.user, pk)
    try:
        on = as_of_parse(request.GET.get("on"))
    except DateInvalid as error:
        return _bad_date(request, household, error)
    context = _context(household, on)
    _audit(request, household, action="view", on=on)
    partial = bool(getattr(request, "htmx", False))
    template = "registry/_assessment_panel.html" if partial else "registry/household_assessment.html"
    return render(request, template, context)


@login_required
@never_cache
@require_GET
def household_assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same content as an A4 PDF to print, sign and file (masked ID numbers only)."""
    from weasyprint import HTML  # imported on use: loading Pango costs start-up time for every other page

    _require_view(request.user)
    household = access_household(request.user, pk)
    try:
        on = as_of_parse(request.GET.get("on"))
    except DateInvalid as error:
        return _bad_date(request, household, error)
    context = {**_context(household, on), "header": _header(), "printed_at": timezone.localtime()}
    html = render_to_string("registry/assessment_pdf.html", context, request=request)
    pdf = HTML(string=html).write_pdf()
    _audit(request, household, action="export", on=on, format="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"认定依据-{household.code}-{on:%Y%m%d}.pdf")
    return response


def _header() -> str:
    county = Region.objects.filter(pk=settings.SAFETYNET_COUNTY_CODE).values_list("name", flat=True).first()
    return f"{county or ''}{PLATFORM}"
