"""Pages of keeping watch (动态监测): the office's front page, screening runs, alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """The front page (工作台); until it exists, the household list."""
    return redirect("registry:household_list")
