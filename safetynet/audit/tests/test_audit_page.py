"""操作留痕: read-only, for roles with VIEW_AUDIT, scoped by region, filterable, no full ID numbers."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from safetynet.audit.selectors import audit_events_for
from safetynet.audit.services import audit_record

PAGE = reverse("audit:event_list")


def test_auditor_and_county_civil_affairs_may_open_the_audit_page(client, cast):
    for role in ("auditor", "county_civil"):
        client.force_login(cast[role])
        assert client.get(PAGE).status_code == 200


def test_roles_without_view_audit_are_refused(client, cast):
    for role in ("clerk_a", "grid_a", "county_rural", "dept_medical"):
        client.force_login(cast[role])
        assert client.get(PAGE).status_code == 403, role


def test_auditor_sees_events_of_every_township(client, cast, household_a, household_b):
    # given: each household's creation is an event in its township
    client.force_login(cast["auditor"])
    # when
    events = list(client.get(PAGE).context["page"].object_list)
    # then
    regions = {e.region_code for e in events}
    assert household_a.region_id in regions and household_b.region_id in regions


def test_events_without_region_are_for_county_level_users_only(cast, household_a, household_b):
    # given: a failed login has no region
    audit_record(by=None, action="login_failed", object_label="someone")
    # when
    county = audit_events_for(cast["auditor"])
    township = audit_events_for(cast["clerk_a"])
    # then: scoping (not capability) is what this checks
    assert county.filter(action="login_failed").exists()
    assert not township.filter(action="login_failed").exists()
    assert {e.region_code[:9] for e in township} == {"220821101"}


def test_filters_by_account_action_object_and_date(client, cast, household_a, household_b):
    # given
    client.force_login(cast["clerk_a"])
    client.get(reverse("registry:household_detail", args=[household_a.pk]))
    client.force_login(cast["auditor"])
    today = timezone.localdate()

    def found(**params):
        return list(client.get(PAGE, params).context["page"].object_list)

    # when / then
    assert [(e.actor_username, e.action) for e in found(username="clerk_a")] == [("clerk_a", "view")]
    assert {e.action for e in found(action="create")} == {"create"} and len(found(action="create")) == 2
    assert {e.object_id for e in found(target=household_b.code)} == {str(household_b.pk)}
    assert len(found(since=today.isoformat(), until=today.isoformat())) == 3
    assert found(until=(today - timedelta(days=1)).isoformat()) == []


def test_audit_page_shows_no_full_id_number(client, cast, household_a):
    # given: a reveal, and the creation whose detail lists member paths
    client.force_login(cast["clerk_a"])
    member = household_a.memberships.first().member
    client.post(reverse("registry:member_reveal", args=[household_a.pk, member.pk]))
    client.force_login(cast["auditor"])
    # when
    html = client.get(PAGE).content.decode()
    # then
    assert "查看完整身份证号" in html
    for membership in household_a.memberships.select_related("member"):
        assert membership.member.id_number not in html


def test_audit_page_has_fifty_rows_a_page(client, cast, regions):
    for i in range(51):
        audit_record(by=cast["clerk_a"], action="view", object_label=f"户{i}", region_code="220821101")
    client.force_login(cast["auditor"])
    first = client.get(PAGE).context["page"]
    assert first.paginator.count == 51 and len(first.object_list) == 50


def test_audit_page_offers_no_way_to_change_records(client, cast, household_a):
    client.force_login(cast["county_civil"])
    html = client.get(PAGE).content.decode()
    assert 'method="post"' not in html.split("</nav>", 1)[1]
    assert client.post(PAGE).status_code == 405


def test_region_column_names_township_village_and_grid(client, cast, household_a):
    client.force_login(cast["auditor"])
    html = client.get(PAGE, {"action": "create"}).content.decode()
    assert "坦途镇坦途村第一网格" in html
