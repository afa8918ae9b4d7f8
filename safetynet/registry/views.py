"""Registry pages that read: the household list, a household's page, revealing an ID number, export.

Every view of personal data is audited here; changes are audited by the services they call.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.services import audit_record
from safetynet.core.document import document_to_dict
from safetynet.core.idnumber import mask_id_number, mask_name
from safetynet.registry import display
from safetynet.registry.documents import household_document
from safetynet.registry.filters import HouseholdFilterForm
from safetynet.registry.listing import household_page_for
from safetynet.registry.models import Household, Membership
from safetynet.registry.selectors import access_household
from safetynet.registry.services import user_may_edit_region

# A run of 11+ ID characters is (part of) an ID number; 16 digits is the 户编号 format and stays readable.
_ID_QUERY = re.compile(r"^(?![0-9]{16}$)[0-9]{10,17}[0-9Xx]$")


def _require(user: Any, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _audit_label(household: Household) -> str:
    return f"户{household.code}"


def masked_query(text: str) -> str:
    """The search text as the audit trail keeps it: ID numbers in it masked to first 6 + last 4."""
    return mask_id_number(text.upper()) if _ID_QUERY.match(text) else display.mask_text(text)


def _audit_search(user: Any, filters: dict[str, str], results: int) -> None:
    query = masked_query(filters["query"])
    audit_record(
        by=user,
        action="search",
        object_type="household",
        object_label=f"检索：{query}"[:200],
        region_code=getattr(user, "region_id", "") or "",
        detail={"q": query, "results": results, **{k: v for k, v in filters.items() if v and k != "query"}},
    )


@login_required
@never_cache
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, Capability.VIEW_HOUSEHOLDS)
    form = HouseholdFilterForm(request.GET, user=request.user)
    filters = form.filters()
    page = household_page_for(request.user, filters=filters, number=request.GET.get("page"))
    if filters["query"]:
        _audit_search(request.user, filters, page.paginator.count)
    partial = bool(request.htmx) and not request.htmx.boosted  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "query": filters["query"],
        "can_create": has_capability(request.user, Capability.EDIT_HOUSEHOLDS),
    }
    response = render(
        request, "registry/_household_results.html" if partial else "registry/household_list.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@never_cache
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, Capability.VIEW_HOUSEHOLDS)
    household = access_household(request.user, pk)
    audit_record(
        by=request.user,
        action="view",
        object_type="household",
        object_id=household.pk,
        object_label=_audit_label(household),
        region_code=household.region_id,
    )
    context = {
        **_household_contents(household),
        "can_edit": user_may_edit_region(request.user, household.region_id),
        "can_reveal": has_capability(request.user, Capability.REVEAL_ID_NUMBERS),
        "can_export": has_capability(request.user, Capability.EXPORT_PERSONAL_DATA),
    }
    return render(request, "registry/household_detail.html", context)


def _household_contents(household: Household) -> dict[str, Any]:
    """Everything the household page shows: members now and before, money, things, history."""
    memberships = list(
        household.memberships.select_related("member").order_by("position", "started_on", "pk")
    )
    active = [m for m in memberships if m.ended_on is None]
    names = {m.member.id_number: m.member.name for m in memberships}
    return {
        "household": household,
        "members": active,
        "figures": display.income_figures(active),
        "former": sorted((m for m in memberships if m.ended_on), key=lambda m: m.ended_on, reverse=True),
        "vehicles": list(household.vehicles.all()),
        "obligors": list(household.obligors.all()),
        "timeline": display.timeline(list(household.changes.select_related("by")), names),
    }


@login_required
@never_cache
@require_POST
def member_reveal(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The full ID number of one member, for the person who needs it; every reveal is audited."""
    _require(request.user, Capability.REVEAL_ID_NUMBERS)
    household = access_household(request.user, pk)
    membership = (
        Membership.objects.filter(household=household, member_id=member_pk).select_related("member").first()
    )
    if membership is None:
        raise Http404("该成员不属于此户")
    member = membership.member
    audit_record(
        by=request.user,
        action="reveal",
        object_type="member",
        object_id=member.pk,
        object_label=f"{mask_name(member.name)}（{mask_id_number(member.id_number)}）",
        region_code=household.region_id,
        detail={"household": household.code},
    )
    template = "registry/_member_reveal.html" if request.htmx else "registry/member_reveal.html"  # type: ignore[attr-defined]
    return render(request, template, {"household": household, "member": member})


@login_required
@never_cache
@require_GET
def household_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The household as one JSON (or `?format=yaml`) document, the format `assess` and the API take."""
    _require(request.user, Capability.EXPORT_PERSONAL_DATA)
    household = access_household(request.user, pk)
    data = document_to_dict(household_document(household))
    as_yaml = request.GET.get("format") == "yaml"
    audit_record(
        by=request.user,
        action="export",
        object_type="household",
        object_id=household.pk,
        object_label=_audit_label(household),
        region_code=household.region_id,
        detail={"format": "yaml" if as_yaml else "json"},
    )
    if as_yaml:
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{household.code}.{'yaml' if as_yaml else 'json'}"
    )
    return response
