"""County civil affairs adds a dated value: a new row, audited, in force from its date and not before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from safetynet.audit.models import AuditEvent
from safetynet.parameters.models import ParameterValue
from safetynet.parameters.selectors import effective_parameters
from safetynet.parameters.services import parameter_value_add

NAME = "dibao.standard.urban_monthly"


def test_county_civil_adds_a_value_as_a_new_row_with_an_audit_event(cast, new_value):
    # when
    row = parameter_value_add(**new_value, by=cast["county_civil"])
    # then
    assert list(ParameterValue.objects.values_list("pk", flat=True)) == [row.pk]
    event = AuditEvent.objects.get(object_type="parameter")
    assert (event.action, event.object_id, event.actor_username) == ("change", str(row.pk), "county_civil")
    assert event.detail["value"] == "800" and event.detail["reason"] == new_value["reason"]


def test_the_value_applies_from_its_date_and_not_before(cast, new_value):
    # given
    before = effective_parameters()
    # when
    parameter_value_add(**new_value, by=cast["county_civil"])
    params = effective_parameters()
    # then
    assert params.resolve(NAME, "220821", date(2025, 6, 30)).value == 720
    in_force = params.resolve(NAME, "220821101200001", date(2025, 7, 1))
    assert (in_force.value, in_force.origin, in_force.region, in_force.status) == (800, "overlay", "220821", "K")
    assert params.resolve(NAME, "220821", date(2026, 1, 1)).value == 750  # the file's later value still follows
    assert params.version() != before.version()


def test_history_keeps_the_file_values(cast, new_value):
    # when
    parameter_value_add(**new_value, by=cast["county_civil"])
    # then
    county = effective_parameters().history(NAME)["220821"]
    assert [(v.since, v.value, v.origin) for v in county] == [
        (date(2025, 1, 1), 720, "file"), (date(2025, 7, 1), 800, "overlay"), (date(2026, 1, 1), 750, "file")]


def test_a_value_on_the_same_date_as_a_placeholder_replaces_it_there(cast, new_value):
    # given: the county's official figure from the very date of the placeholder
    new_value.update(since=date(2025, 1, 1), value=Decimal(735))
    # when
    parameter_value_add(**new_value, by=cast["county_civil"])
    # then
    params = effective_parameters()
    assert params.resolve(NAME, "220821", date(2025, 3, 1)).value == 735
    assert [v.value for v in params.history(NAME)["220821"]] == [720, 735, 750]


def test_a_township_value_applies_to_that_township_only(cast, new_value):
    # when
    parameter_value_add(**{**new_value, "region": "220821101"}, by=cast["county_civil"])
    # then
    params = effective_parameters()
    assert params.resolve(NAME, "220821101200001", date(2025, 8, 1)).value == 800
    assert params.resolve(NAME, "220821102200001", date(2025, 8, 1)).value == 720


def test_a_ratio_is_stored_exactly(cast, new_value):
    # when
    parameter_value_add(**{**new_value, "name": "medical.ratio.dibao", "value": Decimal("0.70")},
                        by=cast["county_civil"])
    # then
    assert effective_parameters().resolve("medical.ratio.dibao", "220821", date(2025, 8, 1)).value == Decimal("0.7")


def test_superuser_may_add_values(db, regions, new_value, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x-Pass-2025")
    assert parameter_value_add(**new_value, by=admin).created_by == admin


@pytest.mark.parametrize("user", ["clerk_a", "auditor", "county_rural", "task_force"])
def test_other_roles_may_not_add_values(cast, new_value, user):
    with pytest.raises(PermissionDenied):
        parameter_value_add(**new_value, by=cast[user])
    assert not ParameterValue.objects.exists()
    assert not AuditEvent.objects.filter(object_type="parameter").exists()


def test_another_process_sees_a_row_added_without_the_service(cast, new_value):
    # given: a set cached before the row exists (as in another web worker)
    assert effective_parameters().resolve(NAME, "220821", date(2025, 8, 1)).value == 720
    # when: the row arrives by another way than this process's service call
    ParameterValue.objects.create(**new_value, created_by=cast["county_civil"])
    # then
    assert effective_parameters().resolve(NAME, "220821", date(2025, 8, 1)).value == 800
