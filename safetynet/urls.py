from django.urls import include, path
from django.views.generic import RedirectView

from safetynet.core import views as core_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:household_list", permanent=False)),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/", core_views.about, name="about"),
    path("accounts/", include("safetynet.accounts.urls")),
    path("households/", include("safetynet.registry.urls")),
    path("audit/", include("safetynet.audit.urls")),
    path("parameters/", include("safetynet.parameters.urls")),
    path("intake/", include("safetynet.intake.urls")),
    path("api/v1/", include("safetynet.registry.api_urls")),
]
