"""Who may take each step of the reviews app, as data (region scoping is checked apart).

Every step needs Capability.RECORD_REVIEWS. Periodic reviews decide 低保 and 特困 (civil affairs):
township staff and county civil affairs record them. 风险消除 is verified and publicised by the
township and confirmed by county rural affairs, who own the 防返贫 tag (DOMAIN §1).
"""

from __future__ import annotations

from safetynet.accounts.choices import Role
from safetynet.accounts.permissions import Capability, has_capability

TOWNSHIP = frozenset({Role.TOWNSHIP_CLERK, Role.TOWNSHIP_REVIEWER})

ACTION_ROLES: dict[str, frozenset[str]] = {
    "review_record": TOWNSHIP | {Role.COUNTY_CIVIL},
    "elimination_verify": TOWNSHIP,
    "elimination_publicity": TOWNSHIP,
    "elimination_objection": TOWNSHIP,
    "elimination_decide": frozenset({Role.COUNTY_RURAL}),
}

ACTION_LABELS: dict[str, str] = {
    "review_record": "登记定期核查", "elimination_verify": "登记风险消除核实",
    "elimination_publicity": "开始风险消除公示", "elimination_objection": "登记公示异议",
    "elimination_decide": "确认或不予确认风险消除",
}


def role_may(user: object, action: str) -> bool:
    """Does `user`'s role allow `action`? Superusers may do everything (as elsewhere in safetynet)."""
    if not has_capability(user, Capability.RECORD_REVIEWS):
        return False
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", "") in ACTION_ROLES[action]
