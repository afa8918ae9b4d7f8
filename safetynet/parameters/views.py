"""The parameters pages (政策参数): public policy, readable by every signed-in staff member.

Adding a dated value is for county civil affairs (MANAGE_PARAMETERS) only; everyone else gets 403
on the form, whether they ask for it or post to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.parameters.forms import OnDateForm, ParameterValueForm
from safetynet.parameters.selectors import (
    access_parameter,
    county_code,
    parameter_history_for,
    parameter_topics_for,
    region_labels,
)
from safetynet.parameters.services import NOT_ALLOWED, parameter_value_add
from safetynet.parameters.templatetags.parameters_tags import param_value

ADDED = "已添加：{description}自 {since:%Y-%m-%d} 起在{region}取值 {value}。此前的取值保留在历史中。"


@login_required
@require_GET
def parameter_list(request: HttpRequest) -> HttpResponse:
    form = OnDateForm(request.GET)
    on = form.day()
    context = {"form": form, "on": on, "topics": parameter_topics_for(on),
               "county": region_labels([county_code()])[county_code()]}
    return render(request, "parameters/parameter_list.html", context)


@login_required
@require_GET
def parameter_detail(request: HttpRequest, name: str) -> HttpResponse:
    may_add = has_capability(request.user, Capability.MANAGE_PARAMETERS)
    return _render_detail(request, name, ParameterValueForm() if may_add else None)


@login_required
@require_http_methods(["GET", "POST"])
def parameter_value_add_view(request: HttpRequest, name: str) -> HttpResponse:
    if not has_capability(request.user, Capability.MANAGE_PARAMETERS):
        raise PermissionDenied(NOT_ALLOWED)
    description, unit = access_parameter(name)
    form = ParameterValueForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _render_detail(request, name, form, status=422 if form.is_bound else 200)
    try:
        row = parameter_value_add(name=name, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _attach(form, error)
        return _render_detail(request, name, form, status=422)
    value = param_value(row.value, unit)
    messages.success(request, ADDED.format(description=description, since=row.since, value=value,
                                           region=region_labels([row.region])[row.region]))
    return redirect("parameters:parameter_detail", name=name)


def _attach(form: ParameterValueForm, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _render_detail(request: HttpRequest, name: str, form: ParameterValueForm | None, *,
                   status: int = 200) -> HttpResponse:
    description, unit = access_parameter(name)
    on = OnDateForm(request.GET).day()
    context: dict[str, Any] = {"name": name, "description": description, "unit": unit, "on": on,
                               "history": parameter_history_for(name, on=on), "form": form}
    return render(request, "parameters/parameter_detail.html", context, status=status)
