from django.urls import path

from safetynet.registry import api, api_assess

app_name = "api"
urlpatterns = [
    path("households", api.households, name="households"),
    path("households/<int:pk>/document", api.household_document, name="household_document"),
    path("assess", api_assess.assess, name="assess"),
    path("openapi.json", api.openapi, name="openapi"),
]
