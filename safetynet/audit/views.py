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
    page = Paginator(audit_events_for(request.user, **form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    codes = {event.region_code for event in page.object_list if event.region_code}
    context = {
        "form": form, "page": page, "roles": dict(Role.choices),
        "regions": dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {},
    }
    return render(request, "audit/event_list.html", context)
