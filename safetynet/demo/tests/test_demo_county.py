"""`manage.py demo_county` on a real database: documents valid, run once, users for every role."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from safetynet.accounts.choices import Department, Role
from safetynet.accounts.models import User
from safetynet.core.document import document_to_dict, parse_household_document
from safetynet.demo.generator import DEMO_GRID
from safetynet.demo.services import DEMO_PASSWORD, HISTORY_MONTHS, NEVER_APPLIED
from safetynet.monitoring.facts import months_before
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, HouseholdChange, Member
from safetynet.registry.selectors import search_q


def _build(households: int = 300) -> str:
    out = StringIO()
    call_command("demo_county", "--households", str(households), "--seed", "11", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return _build()


def test_small_build_gives_valid_household_documents(demo):
    # given
    households = list(Household.objects.all())
    # then
    assert len(households) == 300 and "演示县已生成：300 户" in demo
    for household in random.Random(1).sample(households, 40):
        doc = household_document(household)
        parsed = parse_household_document(document_to_dict(doc))
        assert parsed.head.name == household.head_name
        assert len(parsed.members) == household.member_count
        assert household.code.startswith(household.region_id[:12])


def test_every_member_is_active_in_exactly_one_household(demo):
    counts = Member.objects.annotate(active=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
    assert Member.objects.count() > 600
    assert not counts.exclude(active=1).exists()


def test_every_household_has_its_first_version(demo):
    assert HouseholdChange.objects.filter(version=1, action="demo", summary="建档（演示数据）").count() == 300
    assert not Household.objects.exclude(version=1).exists()


def test_second_run_does_nothing_but_print_the_logins(demo):
    # given
    before = (Household.objects.count(), Member.objects.count(), User.objects.count())
    # when
    output = _build(500)
    # then
    assert (Household.objects.count(), Member.objects.count(), User.objects.count()) == before
    assert "已存在，未重复生成" in output and "tantu_wangge1" in output and DEMO_PASSWORD in output


def test_users_of_every_role_and_department_exist_and_can_log_in(demo, client):
    # then
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    clerks = User.objects.filter(role=Role.DEPARTMENT_CLERK)
    assert set(clerks.values_list("department", flat=True)) == set(Department.values)
    assert not User.objects.exclude(role=Role.DEPARTMENT_CLERK).filter(region__isnull=True).exists()
    assert client.login(username="tantu_shenhe", password=DEMO_PASSWORD)


def test_grid_worker_finds_wang_jianguo_on_his_grid(demo):
    # given
    worker = User.objects.get(username="tantu_wangge1")
    # when
    found = Household.objects.visible_to(worker).filter(search_q("wjg"))
    # then
    assert worker.region_id == DEMO_GRID
    assert "王建国" in {h.head_name for h in found}


def test_refuses_to_mix_demo_people_with_real_households(household_a):
    # when
    with pytest.raises(CommandError, match="已有1户非演示的家庭档案"):
        _build()
    # then
    assert Household.objects.count() == 1
    assert not User.objects.filter(username="minzheng").exists()


def test_households_the_engine_places_have_a_confirmed_status_and_a_baseline_run(demo):
    from safetynet.intake.models import HouseholdStatus
    from safetynet.monitoring.models import ScreeningResult, ScreeningRun

    history, run, alerting = ScreeningRun.objects.order_by("pk")  # six months back, the baseline, with alerts
    assert months_before(run.as_of, HISTORY_MONTHS) == history.as_of and alerting.as_of == run.as_of
    assert run.status == ScreeningRun.Status.DONE and run.household_count == 300
    placed = {r.household_id: r for r in ScreeningResult.objects.filter(run=run) if r.categories}
    statuses = {s.household_id: s for s in HouseholdStatus.objects.all()}
    never_applied = {pk for pk in placed if pk % NEVER_APPLIED == 0}
    assert placed and set(placed) - never_applied <= set(statuses) and not never_applied & set(statuses)
    for household_id, result in placed.items():
        if household_id in never_applied:
            continue
        status = statuses[household_id]
        assert status.categories == [c for c in ("tekun", "dibao", "dibao_edge", "rigid_expense")
                                     if c in result.categories]
        assert status.effective_to is None and status.effective_from.day == 1
        assert status.dibao_monthly == (result.dibao_monthly if "dibao" in status.categories else 0)
    tagged = set(Household.objects.filter(monitoring_object=True).values_list("pk", flat=True)) - never_applied
    assert tagged <= set(statuses)
    assert all(s.monitoring_object == (s.household_id in tagged) for s in statuses.values())


def test_tagged_families_above_the_line_since_the_earlier_run_are_risk_elimination_candidates(demo):
    from django.utils import timezone

    from safetynet.reviews.candidates import elimination_candidates_for

    rows = elimination_candidates_for(User.objects.get(username="minzheng"), today=timezone.localdate())
    assert rows and all(r.candidacy.eligible and r.candidacy.months_above > HISTORY_MONTHS for r in rows)


def test_the_first_month_of_department_data_is_imported_and_screened_with_alerts(demo):
    from safetynet.feeds.models import FeedImport, FeedRecord
    from safetynet.monitoring.models import Alert, ScreeningRun

    imports = list(FeedImport.objects.all())
    assert {i.source for i in imports} == {"police", "market", "medical", "hrss", "disability", "housing", "water",
                                          "emergency", "education", "rural"}
    assert all(i.status == FeedImport.Status.DONE and i.rows_unmatched == 2 and i.file_sha256 for i in imports)
    assert FeedRecord.objects.count() == sum(i.rows_added for i in imports) > 0
    run = ScreeningRun.objects.order_by("-pk").first()
    assert "alerts" in run.counts and Alert.objects.filter(screening_run=run).exists()
    assert Alert.objects.filter(owner__username="tantu_wangge1", status=Alert.Status.ASSIGNED).exists()


def test_reviews_were_kept_up_so_only_a_few_households_are_overdue(demo):
    from django.utils import timezone

    from safetynet.demo.reviews import OVERDUE_ONE_IN
    from safetynet.reviews.models import PeriodicReview
    from safetynet.reviews.selectors import due_reviews_for

    today = timezone.localdate()
    rows = due_reviews_for(User.objects.get(username="minzheng"), today=today, show_all=True)
    assert PeriodicReview.objects.exists()
    late = [r for r in PeriodicReview.objects.all() if r.next_due_on <= today]
    assert all(r.household_id % OVERDUE_ONE_IN == 0 for r in late)  # only the late ones' latest review is missing
    overdue = [r for r in rows if r.overdue]
    assert rows and len(overdue) < len(rows) / 5  # a county that keeps up, with a few reviews late
    # and late by less than one interval (their previous reviews were done), not since their status began
    assert all((today - r.due.due_on).days < 366 for r in overdue)


def test_every_grid_has_its_worker_who_has_visited_on_schedule(demo):
    from collections import Counter

    from django.utils import timezone

    from safetynet.gridwork.selectors import plan_for
    from safetynet.monitoring.models import Alert
    from safetynet.regions.models import Region

    grids = set(Region.objects.filter(level=Region.Level.GRID).values_list("code", flat=True))
    assert set(User.objects.filter(role=Role.GRID_WORKER).values_list("region_id", flat=True)) == grids
    assert not Alert.objects.filter(owner__isnull=True).exists()  # every alert has its grid's worker
    states = Counter(row.due.state for row in plan_for(User.objects.get(username="minzheng"),
                                                       today=timezone.localdate())
                     if row.household.region_id != DEMO_GRID)
    assert states and states["overdue"] < sum(states.values()) / 4
    assert User.objects.get(username="tantu_wangge1").region_id == DEMO_GRID
