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


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COUNTY_CIVIL: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS,
         Capability.EXPORT_PERSONAL_DATA, Capability.VIEW_AUDIT, Capability.MANAGE_PARAMETERS}
    ),
    Role.COUNTY_RURAL: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS, Capability.EXPORT_PERSONAL_DATA}
    ),
    Role.TASK_FORCE: frozenset({Capability.VIEW_HOUSEHOLDS}),
    Role.TOWNSHIP_CLERK: frozenset(
        {Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS,
         Capability.EXPORT_PERSONAL_DATA}
    ),
    Role.TOWNSHIP_REVIEWER: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.REVEAL_ID_NUMBERS}),
    Role.GRID_WORKER: frozenset({Capability.VIEW_HOUSEHOLDS}),
    # Department clerks see only the households pushed to their department (assistance app, later).
    Role.DEPARTMENT_CLERK: frozenset({Capability.VIEW_HOUSEHOLDS}),
    Role.AUDITOR: frozenset({Capability.VIEW_HOUSEHOLDS, Capability.VIEW_AUDIT}),
}


def has_capability(user: object, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return capability in ROLE_CAPABILITIES.get(getattr(user, "role", ""), frozenset())
