from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:household_list", permanent=False)),
    path("accounts/", include("safetynet.accounts.urls")),
    path("households/", include("safetynet.registry.urls")),
    path("audit/", include("safetynet.audit.urls")),
    path("api/v1/", include("safetynet.registry.api_urls")),
]
