"""Pages of the one-window path (一门受理). Routes are added by the pages' authors."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = []
