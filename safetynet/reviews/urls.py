"""Pages of the reviews app: 定期核查 and 风险消除."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.reviews import views

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.due_list, name="due_list"),
    path("export.xlsx", views.due_list_export, name="due_list_export"),
    path("household/<int:household_pk>/", views.household_review, name="household_review"),
    path("eliminations/", views.elimination_list, name="elimination_list"),
    path("eliminations/household/<int:household_pk>/", views.elimination_verify, name="elimination_verify"),
    path("eliminations/<int:elimination_pk>/", views.elimination_detail, name="elimination_detail"),
    path("eliminations/<int:elimination_pk>/notice.pdf", views.elimination_notice_pdf, name="elimination_notice_pdf"),
    path("eliminations/<int:elimination_pk>/<str:step>/", views.elimination_act, name="elimination_act"),
]
