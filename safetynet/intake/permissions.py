"""Who may take each step of the one-window path, as data (region scoping is checked apart)."""

from __future__ import annotations

from safetynet.accounts.choices import Role
from safetynet.accounts.scoping import ALL_REGIONS, region_prefixes_for

CLERK = frozenset({Role.TOWNSHIP_CLERK})
REVIEWER = frozenset({Role.TOWNSHIP_REVIEWER})

# action (the service's verb) → roles allowed. Confirmation is split by part: the four categories
# are county civil affairs', the 防返贫 tag county rural affairs' (DOMAIN §1).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "create": frozenset({Role.TOWNSHIP_CLERK, Role.GRID_WORKER}),  # 网格员 may start one from a visit (二网合一)
    "accept": CLERK,
    "correction_request": CLERK,
    "resubmit": CLERK,
    "investigation_start": CLERK,
    "visit_record": CLERK,
    "investigation_complete": CLERK,
    "withdraw": CLERK,
    "review_decide": REVIEWER,
    "publicity_start": REVIEWER,
    "objection_record": REVIEWER,
    "extend": REVIEWER,
    "terminate": REVIEWER,
    "confirm_categories": frozenset({Role.COUNTY_CIVIL}),
    "confirm_tag": frozenset({Role.COUNTY_RURAL}),
}

ACTION_LABELS: dict[str, str] = {
    "create": "登记申请", "accept": "受理", "correction_request": "发出补正告知", "resubmit": "登记补正材料",
    "investigation_start": "开始调查核实", "visit_record": "记录入户调查", "investigation_complete": "完成调查核实",
    "withdraw": "登记撤回申请", "review_decide": "作出审核意见", "publicity_start": "开始公示",
    "objection_record": "登记公示异议", "extend": "延长办理时限", "terminate": "终止办理",
    "confirm_categories": "确认救助类别", "confirm_tag": "确认防止返贫监测标识",
}


def role_may(user: object, action: str) -> bool:
    """Does `user`'s role allow `action`? Superusers may do everything (as elsewhere in safetynet)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return getattr(user, "role", "") in ACTION_ROLES[action]


def region_covers(user: object, region_code: str) -> bool:
    """Is `region_code` inside the regions assigned to `user` (accounts.scoping)?"""
    prefixes = region_prefixes_for(user)
    if prefixes is ALL_REGIONS:
        return True
    assert isinstance(prefixes, list)
    return any(region_code.startswith(p) for p in prefixes)
