"""The database itself refuses to rewrite the audit trail, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from safetynet.audit.models import AuditEvent
from safetynet.audit.services import audit_record


@pytest.fixture
def event(cast):
    return audit_record(by=cast["clerk_a"], action="view", object_label="户1", region_code="220821101")


def test_audit_rows_cannot_be_updated(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_label="改过")
    event.refresh_from_db()
    assert event.object_label == "户1"


def test_audit_rows_cannot_be_deleted(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_a_loaded_audit_row_is_refused_too(event):
    event.object_label = "改过"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
