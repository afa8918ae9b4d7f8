"""The audit page (操作留痕): read-only, for roles with VIEW_AUDIT."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safetynet.accounts.choices import Role
from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.forms import AuditFilterForm
from safetynet.audit.selectors import audit_events_for
from safetynet.regions.models import Region

PAGE_SIZE = 50


@login_required
@never_cache
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    page = Paginator(audit_events_for(request.user, **form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "roles": dict(Role.choices),
        "regions": _region_names({event.region_code for event in page.object_list if event.region_code}),
    }
    return render(request, "audit/event_list.html", context)


def _region_names(codes: set[str]) -> dict[str, str]:
    """坦途镇兴安村第二网格 for each code: its name after those of its township and village, one query."""
    levels = {code[:length] for code in codes for length in (6, 9, 12, 15) if length <= len(code)}
    names = dict(Region.objects.filter(code__in=levels).values_list("code", "name")) if levels else {}
    return {
        code: _joined([names.get(code[:n], "") for n in (9, 12, 15) if n <= len(code)])
        or names.get(code, code)
        for code in codes
    }


def _joined(parts: list[str]) -> str:
    """Names from the township down; a grid named after its village (坦途村第一网格) does not repeat it."""
    out: list[str] = []
    for part in filter(None, parts):
        if out and part.startswith(out[-1]):
            out[-1] = part
        else:
            out.append(part)
    return "".join(out)
