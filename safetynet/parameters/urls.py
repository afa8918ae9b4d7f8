from django.urls import path

from safetynet.parameters import views

app_name = "parameters"
urlpatterns = [
    path("", views.parameter_list, name="parameter_list"),
    path("<str:name>/", views.parameter_detail, name="parameter_detail"),
    path("<str:name>/add/", views.parameter_value_add_view, name="parameter_value_add"),
]
