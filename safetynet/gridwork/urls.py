"""Pages of the gridwork app."""

from django.urls import path  # noqa: F401

app_name = "gridwork"

urlpatterns: list = []
