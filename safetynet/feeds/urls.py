"""Pages of the feeds app."""

from django.urls import path

from safetynet.feeds import views

app_name = "feeds"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("upload/", views.import_create, name="import_create"),
    path("<int:import_pk>/", views.import_detail, name="import_detail"),
    path("<int:import_pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:import_pk>/rerun/", views.import_rerun, name="import_rerun"),
    path("<int:import_pk>/report/", views.import_report, name="import_report"),
    path("templates/<str:source>/", views.template_download, name="template"),
]
