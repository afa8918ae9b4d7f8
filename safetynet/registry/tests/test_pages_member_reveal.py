"""Revealing a full ID number: only with the capability, only in one's own households, always audited,
and the number never reaches a log."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.core.idnumber import mask_id_number
from safetynet.registry.models import Member
from safetynet.registry.services import member_move


def reveal(client, household, member, **extra):
    return client.post(reverse("registry:member_reveal", args=[household.pk, member.pk]), **extra)


def spouse_of(household) -> Member:
    return household.memberships.get(relation="spouse").member


def test_clerk_reveals_a_full_id_number_and_it_is_audited(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    member = spouse_of(household_a)
    # when
    response = reveal(client, household_a, member, headers={"HX-Request": "true"})
    # then
    assert response.status_code == 200
    assert member.id_number in response.content.decode() and "<html" not in response.content.decode()
    event = AuditEvent.objects.get(action="reveal")
    assert event.actor == cast["clerk_a"] and event.object_id == str(member.pk)
    assert event.object_label == f"李*（{mask_id_number(member.id_number)}）"
    assert member.id_number not in str(event.detail) and event.region_code == household_a.region_id


def test_grid_worker_may_not_reveal(client, cast, household_a):
    client.force_login(cast["grid_a"])
    assert reveal(client, household_a, spouse_of(household_a)).status_code == 403
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_reveal_in_another_township_is_not_found(client, cast, household_b):
    client.force_login(cast["clerk_a"])
    assert reveal(client, household_b, spouse_of(household_b)).status_code == 404
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_member_of_another_household_is_not_found_through_this_one(client, cast, household_a, make_household):
    # given: a second household of the same township
    other = make_household("220821101200002")
    client.force_login(cast["clerk_a"])
    # when: other's member through household_a's URL
    response = reveal(client, household_a, spouse_of(other))
    # then
    assert response.status_code == 404


def test_former_member_can_still_be_revealed(client, cast, household_a, household_b):
    child = Member.objects.get(memberships__household=household_a, memberships__relation="child")
    member_move(member=child, to=household_b, relation="other", by=cast["county_civil"], on=date(2025, 3, 1))
    client.force_login(cast["clerk_a"])
    response = reveal(client, household_a, child)
    assert response.status_code == 200 and child.id_number in response.content.decode()


def test_reveal_is_post_only(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    url = reverse("registry:member_reveal", args=[household_a.pk, spouse_of(household_a).pk])
    assert client.get(url).status_code == 405


def test_reveal_is_never_cached(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    response = reveal(client, household_a, spouse_of(household_a))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("debug", [False, True])
def test_no_full_id_number_in_any_log_during_page_view_and_reveal(
    client, cast, household_a, caplog, settings, debug
):
    # given: every logger at DEBUG (with DEBUG on, Django also logs each SQL statement)
    settings.DEBUG = debug
    for name in [""] + list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    member = spouse_of(household_a)
    client.force_login(cast["clerk_a"])
    # when
    client.get(reverse("registry:household_detail", args=[household_a.pk]))
    response = reveal(client, household_a, member, headers={"HX-Request": "true"})
    client.get(reverse("registry:household_list"), {"q": member.id_number[-6:]})
    # then
    assert member.id_number in response.content.decode()
    assert caplog.records or not debug, "no SQL captured: the test would pass vacuously"
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for membership in household_a.memberships.select_related("member"):
        assert membership.member.id_number not in logged
