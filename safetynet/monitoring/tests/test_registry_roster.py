"""The registry read straight into a roster gives exactly what the household documents give."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from polars.testing import assert_frame_equal

from conftest import member_data
from safetynet.monitoring.registry_roster import registry_roster
from safetynet.monitoring.tests.households import small_registry
from safetynet.policy.roster import ROSTER_SCHEMA, Roster, roster_from_documents
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, Member
from safetynet.registry.services import member_move

# Amounts whose binary floating-point value is not the decimal one (0.29 * 100 = 28.999…).
AWKWARD = ["0.29", "0.57", "1.15", "4.35", "8.07", "11040.00", "1234567.89", "9999999999.99"]


def _documents_roster(households: list[Household]) -> Roster:
    households = sorted(households, key=lambda h: h.pk)
    return roster_from_documents([household_document(h) for h in households], keys=[h.pk for h in households])


def _assert_same(a: Roster, b: Roster) -> None:
    for table in ROSTER_SCHEMA:
        assert_frame_equal(getattr(a, table), getattr(b, table), check_exact=True)


def _varied(make_household: Callable[..., Household]) -> Household:
    """Vehicles of every kind, supporters elsewhere, a disabled and an excluded member, awkward money."""
    elders = [member_data("刘长山", "self", date(1950, 1, 2), income={"transfer": Decimal("1234.57")}),
              member_data("陈玉芝", "spouse", date(1952, 3, 4), male=False,
                          disability={"kind": "physical", "grade": 2}, labor="none"),
              member_data("刘明", "child", date(1985, 5, 6), co_resident=False, excluded="prison")]
    return make_household(
        members=elders,
        assets={"deposits": Decimal("11040.00"), "business_capital": Decimal("0.29"), "urban_houses": 1,
                "vehicles": [{"kind": "farm", "value": 90000}, {"kind": "car", "value": Decimal("30000.01")},
                             {"kind": "truck", "value": Decimal("29999.99")}, {"kind": "motorcycle", "value": 5000}]},
        obligors=[{"name": "刘芳", "supports": ["刘长山", "陈玉芝"], "age": 45, "annual_income": Decimal("8.07")},
                  {"name": "刘强", "supports": ["陈玉芝"], "age": 72, "status": "dibao",
                   "disability": {"kind": "mental", "grade": 3}}],
        rigid_expenses={"medical": Decimal("4.35"), "education": Decimal("0.57"), "disability": Decimal("1.15")},
        living={"housing_grade": "C", "water_safe": False}, monitoring={"object": True, "kind": "sudden"})


def test_registry_roster_equals_the_roster_of_the_household_documents(cast, make_household):
    # given
    households = [*small_registry(make_household), _varied(make_household)]
    # when
    loaded = registry_roster()
    # then
    _assert_same(loaded.roster, _documents_roster(households))
    assert loaded.roster.obligor_supports.height == 3  # 刘芳 supports two, 刘强 one


def test_money_becomes_exact_fen_for_amounts_floats_cannot_hold(cast, make_household):
    # given
    members = [member_data(f"成员{i}", "self" if i == 0 else "child", date(2000, 1, 1 + i),
                           income={"wages": Decimal(a)}) for i, a in enumerate(AWKWARD)]
    household = make_household(members=members, assets={"deposits": Decimal("9999999999.99")})
    # when
    roster = registry_roster().roster
    # then
    assert roster.members.get_column("wages_fen").to_list() == [int(Decimal(a) * 100) for a in AWKWARD]
    assert roster.households.item(0, "deposits_fen") == 999999999999
    _assert_same(roster, _documents_roster([household]))


def test_a_member_who_moved_out_is_no_longer_in_the_old_household(cast, make_household):
    # given: the child of the first household moves to the second
    first, second = make_household(), make_household("220821101200002")
    child = Member.objects.get(memberships__household=first, memberships__relation="child")
    member_move(member=child, to=second, relation="other", by=cast["county_civil"])
    # when
    roster = registry_roster().roster
    # then: positions follow each household's order, as in its document
    keys = roster.members.filter(roster.members["id_number"] == child.id_number).get_column("hh_key").to_list()
    assert keys == [second.pk]
    _assert_same(roster, _documents_roster([first, second]))


def test_key_range_loads_only_those_households(cast, make_household):
    # given
    households = small_registry(make_household)
    low = min(h.pk for h in households)
    # when
    roster = registry_roster(pk_from=low, pk_to=low + 1).roster
    # then
    assert roster.households.get_column("hh_key").to_list() == [low]
    assert set(roster.members.get_column("hh_key")) == {low}
