"""Pages that belong to no domain app: health check and 关于本平台."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safetynet.core.components import COMPONENTS


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and monitoring: answers without touching the database."""
    return JsonResponse({"status": "ok"})


@require_GET
@login_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html", {"components": COMPONENTS})
