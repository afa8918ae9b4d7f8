"""What each role may do, as data. Region scoping is separate (accounts.scoping)."""

from __future__ import annotations

from enum import StrEnum

from safetynet.accounts.choices import Role


class Capability(StrEnum):
    VIEW_HOUSEHOLDS = "view_households"
    EDIT_HOUSEHOLDS = "edit_households"
    REVEAL_ID_NUMBERS = "reveal_id_numbers"  # 查看完整身份证号（留痕）
    EXPORT_PERSONAL_DATA = "export_personal_data"
    VIEW_AUDIT = "view_audit"
    MANAGE_PARAMETERS = "manage_parameters"  # 添加政策参数取值（县民政局）
    IMPORT_FEEDS = "import_feeds"  # 导入部门数据（部门经办只导入本部门的数据源）
    RUN_SCREENING = "run_screening"  # 发起筛查
    HANDLE_ALERTS = "handle_alerts"  # 办理本辖区预警（分派、核实、办结）
    RECORD_VISITS = "record_visits"  # 登记网格走访
    RECORD_REVIEWS = "record_reviews"  # 登记定期核查、渐退、风险消除


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COUNTY_CIVIL: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS,
         Capability.EXPORT_PERSONAL_DATA, Capability.VIEW_AUDIT, Capability.MANAGE_PARAMETERS,
         Capability.IMPORT_FEEDS, Capability.RUN_SCREENING, Capability.HANDLE_ALERTS, Capability.RECORD_REVIEWS}
    ),
    Role.COUNTY_RURAL: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS, Capability.EXPORT_PERSONAL_DATA,
         Capability.IMPORT_FEEDS, Capability.RUN_SCREENING, Capability.HANDLE_ALERTS, Capability.RECORD_REVIEWS}
    ),
    Role.TASK_FORCE: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.RUN_SCREENING}),
    Role.TOWNSHIP_CLERK: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS,
         Capability.EXPORT_PERSONAL_DATA, Capability.HANDLE_ALERTS, Capability.RECORD_VISITS,
         Capability.RECORD_REVIEWS}
    ),
    Role.TOWNSHIP_REVIEWER: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS,
                                       Capability.HANDLE_ALERTS, Capability.RECORD_REVIEWS}),
    Role.GRID_WORKER: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.HANDLE_ALERTS, Capability.RECORD_VISITS}),
    # Department clerks see only the households pushed to their department (assistance app, later); they
    # import their own department's feeds.
    Role.DEPARTMENT_CLERK: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.IMPORT_FEEDS}),
    Role.AUDITOR: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.VIEW_AUDIT}),
}


def has_capability(user: object, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return capability in ROLE_CAPABILITIES.get(getattr(user, "role", ""), frozenset())
