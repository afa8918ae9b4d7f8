"""The database itself refuses to rewrite administrator-added parameter values, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from safetynet.parameters.models import ParameterValue
from safetynet.parameters.services import parameter_value_add


@pytest.fixture
def row(cast, new_value):
    return parameter_value_add(**new_value, by=cast["county_civil"])


def test_parameter_values_cannot_be_updated(row):
    with pytest.raises(DatabaseError), transaction.atomic():
        ParameterValue.objects.filter(pk=row.pk).update(value=Decimal(1))
    row.refresh_from_db()
    assert row.value == 800


def test_parameter_values_cannot_be_deleted(row):
    with pytest.raises(DatabaseError), transaction.atomic():
        ParameterValue.objects.filter(pk=row.pk).delete()
    assert ParameterValue.objects.filter(pk=row.pk).exists()


def test_saving_a_loaded_row_is_refused_too(row):
    row.reason = "改过"
    with pytest.raises(DatabaseError), transaction.atomic():
        row.save()
    row.refresh_from_db()
    assert row.reason != "改过"
