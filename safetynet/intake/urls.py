"""Pages of the one-window path (一门受理)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.intake import views, views_documents

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/", views.tasks, name="tasks"),
    path("", views.application_list, name="application_list"),
    path("household/<int:household_pk>/new/", views.application_create, name="application_create"),
    path("new/", views.application_create_new, name="application_create_new"),
    path("<int:application_pk>/", views.application_detail, name="application_detail"),
    path("<int:application_pk>/authorization/", views.authorization_file, name="authorization_file"),
    path("<int:application_pk>/photos/<int:photo_pk>/", views.visit_photo, name="visit_photo"),
    *[path(f"<int:application_pk>/{name.replace('_', '-')}/", views.application_act, {"action": name},
           name=f"application_{name}") for name in views.ACTIONS],
    *views_documents.urlpatterns,
]
