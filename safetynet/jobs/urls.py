"""Pages of the jobs app."""

from django.urls import path

from safetynet.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:job_pk>/", views.job_detail, name="job_detail"),
    path("<int:job_pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:job_pk>/rerun/", views.job_rerun_view, name="job_rerun"),
]
