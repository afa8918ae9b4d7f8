from django.urls import path

from safetynet.feeds import api

app_name = "feeds_api"
urlpatterns = [
    path("imports/<int:import_pk>", api.import_status, name="import_status"),
    path("<str:source>", api.import_create, name="import_create"),
]
