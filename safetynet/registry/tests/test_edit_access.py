"""Who may open the create/edit pages: 404 for households not in the user's regions (as if missing),
403 for those the user may see but not edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safetynet.registry.models import Household
from safetynet.registry.tests.edit_pages import member_pk, url

HOUSEHOLD_PAGES = ["household_edit", "member_add", "member_edit", "member_remove"]


def page_url(name, household):
    if name in ("member_edit", "member_remove"):
        return url(name, household.pk, member_pk(household, "child"))
    return url(name, household.pk)


@pytest.mark.parametrize("name", HOUSEHOLD_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_clerk_of_another_township_gets_not_found(client, cast, household_b, name, method):
    client.force_login(cast["clerk_a"])
    response = getattr(client, method)(page_url(name, household_b))
    assert response.status_code == 404
    assert Household.objects.get(pk=household_b.pk).version == 1


@pytest.mark.parametrize("name", HOUSEHOLD_PAGES)
@pytest.mark.parametrize("user", ["grid_a", "task_force", "reviewer_a", "county_rural"])
def test_users_who_may_only_see_the_household_are_forbidden(client, cast, household_a, name, user):
    client.force_login(cast[user])
    assert client.get(page_url(name, household_a)).status_code == 403
    assert client.post(page_url(name, household_a), {"version": 1, "reason": "死亡"}).status_code == 403
    assert Household.objects.get(pk=household_a.pk).version == 1


def test_department_clerk_gets_not_found(client, cast, household_a):
    client.force_login(cast["dept_medical"])
    assert client.get(url("household_edit", household_a.pk)).status_code == 404


@pytest.mark.parametrize("user", ["grid_a", "task_force", "auditor", "dept_medical"])
def test_only_editors_may_create_households(client, cast, user):
    client.force_login(cast[user])
    assert client.get(url("household_create")).status_code == 403
    assert client.post(url("household_create"), {"region": "220821101200"}).status_code == 403
    assert not Household.objects.exists()


def test_member_of_another_household_is_not_found(client, cast, household_a, household_b):
    client.force_login(cast["county_civil"])
    other = member_pk(household_b, "child")
    assert client.get(url("member_edit", household_a.pk, other)).status_code == 404
    assert client.post(url("member_remove", household_a.pk, other), {"version": 1, "reason": "死亡"}).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, household_a):
    response = client.get(url("household_edit", household_a.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_editors_get_the_pages(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    for name in [*HOUSEHOLD_PAGES, "household_create"]:
        target = url(name) if name == "household_create" else page_url(name, household_a)
        assert client.get(target).status_code == 200, name
