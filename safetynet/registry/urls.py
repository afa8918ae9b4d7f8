from django.urls import path

from safetynet.registry import views, views_assessment, views_edit

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/members/<int:member_pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("<int:pk>/document/", views.household_document_download, name="household_document"),
    path("<int:pk>/assessment/", views_assessment.household_assessment, name="household_assessment"),
    path("<int:pk>/assessment.pdf", views_assessment.household_assessment_pdf, name="household_assessment_pdf"),
    path("new/", views_edit.household_create, name="household_create"),
    path("<int:pk>/edit/", views_edit.household_edit, name="household_edit"),
    path("<int:pk>/members/add/", views_edit.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/edit/", views_edit.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:member_pk>/remove/", views_edit.member_remove, name="member_remove"),
]
