from django.urls import path

from safetynet.registry import api

app_name = "api"
urlpatterns = [
    path("households", api.households, name="households"),
    path("households/<int:pk>/document", api.household_document, name="household_document"),
    path("openapi.json", api.openapi, name="openapi"),
]
