from django.contrib.auth.views import LogoutView
from django.urls import path

from safetynet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.AuditedLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
