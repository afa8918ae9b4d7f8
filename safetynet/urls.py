from django.urls import include, path

from safetynet.core import views as core_views
from safetynet.monitoring import views as monitoring_views

urlpatterns = [
    path("", monitoring_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/", core_views.about, name="about"),
    path("accounts/", include("safetynet.accounts.urls")),
    path("households/", include("safetynet.registry.urls")),
    path("audit/", include("safetynet.audit.urls")),
    path("parameters/", include("safetynet.parameters.urls")),
    path("intake/", include("safetynet.intake.urls")),
    path("feeds/", include("safetynet.feeds.urls")),
    path("jobs/", include("safetynet.jobs.urls")),
    path("monitoring/", include("safetynet.monitoring.urls")),
    path("grid/", include("safetynet.gridwork.urls")),
    path("reviews/", include("safetynet.reviews.urls")),
    path("api/v1/feeds/", include("safetynet.feeds.api_urls")),
    path("api/v1/", include("safetynet.registry.api_urls")),
]
