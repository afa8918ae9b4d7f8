"""Exporting a household as its document (JSON or YAML): capability, scope, audit."""

from __future__ import annotations

import json

import yaml
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.core.document import parse_household_document


def download(client, household, **params):
    return client.get(reverse("registry:household_document", args=[household.pk]), params)


def test_clerk_downloads_the_household_document_as_json(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = download(client, household_a)
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{household_a.code}.json"'
    data = json.loads(response.content)
    assert data["code"] == household_a.code and len(data["members"]) == 3
    assert parse_household_document(data).head.name == "王建国"
    event = AuditEvent.objects.get(action="export")
    assert event.object_id == str(household_a.pk) and event.detail == {"format": "json"}


def test_household_document_as_yaml(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    response = download(client, household_a, format="yaml")
    assert response["Content-Disposition"].endswith(f'{household_a.code}.yaml"')
    assert yaml.safe_load(response.content.decode())["members"][0]["name"] == "王建国"


def test_export_needs_the_capability(client, cast, household_a):
    client.force_login(cast["reviewer_a"])
    assert download(client, household_a).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_of_another_township_is_not_found(client, cast, household_b):
    client.force_login(cast["clerk_a"])
    assert download(client, household_b).status_code == 404
