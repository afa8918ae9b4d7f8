"""Pages of the gridwork app (网格走访)."""

from django.urls import path

from safetynet.gridwork import views

app_name = "gridwork"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("plan/", views.plan, name="plan"),
    path("plan/export.xlsx", views.plan_export, name="plan_export"),
    path("households/<int:household_pk>/visit/", views.visit_new, name="visit_new"),
    path("visits/<int:grid_visit_pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:grid_visit_pk>/alert/", views.visit_raise_alert, name="visit_raise_alert"),
    path("visits/<int:grid_visit_pk>/photos/<int:grid_photo_pk>/", views.visit_photo, name="visit_photo"),
]
