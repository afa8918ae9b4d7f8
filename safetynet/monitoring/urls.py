"""Pages of the monitoring app: alerts and screening runs (the front page "/" is in safetynet/urls.py)."""

from django.urls import URLPattern, path

from safetynet.monitoring import views

app_name = "monitoring"

urlpatterns: list[URLPattern] = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/mine/", views.alert_mine, name="alert_mine"),
    path("alerts/export.xlsx", views.alert_export, name="alert_export"),
    path("alerts/<int:alert_pk>/", views.alert_detail, name="alert_detail"),
    *[path(f"alerts/<int:alert_pk>/{step}/", views.alert_act, {"step": step}, name=f"alert_{step}")
      for step in views.STEPS],
    path("runs/", views.runs, name="runs"),
]
