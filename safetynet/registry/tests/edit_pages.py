"""Helpers for the tests of the create/edit pages: submit a page as it was shown, with changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse


def as_post(*items: Any) -> dict[str, Any]:
    """The POST data a browser sends for forms and formsets shown unchanged."""
    data: dict[str, Any] = {}
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            data.update(as_post(item.management_form, *item.forms))
            continue
        for bound in item:
            value = bound.value()
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(bound.field, forms.MultipleChoiceField):
                data[bound.html_name] = list(value or [])
            else:
                data[bound.html_name] = "" if value is None else value
    return data


def shown(client: Any, url: str, *names: str) -> dict[str, Any]:
    """GET `url` and return the POST data of its forms (context names) as shown."""
    response = client.get(url)
    assert response.status_code == 200
    return as_post(*(response.context[name] for name in names))


def url(name: str, *args: Any) -> str:
    return reverse(f"registry:{name}", args=args)


def member_pk(household: Any, relation: str) -> int:
    return household.memberships.get(relation=relation, ended_on__isnull=True).member_id
