"""The acting user of a management command (`--as USERNAME`), so every act on personal data is attributable."""

from __future__ import annotations

from django.core.management.base import CommandError

from safetynet.accounts.models import User
from safetynet.accounts.permissions import Capability, has_capability

AS_REQUIRED = "请用 --as 用户名 指明操作人：导入、导出个人信息须留痕到具体账号"
UNKNOWN_USER = "没有名为 {username} 的在用账号"
NOT_ALLOWED = "账号 {username}（{role}）没有“{capability}”权限"
CAPABILITY_NAMES = {
    Capability.VIEW_HOUSEHOLDS: "查看家庭",
    Capability.EDIT_HOUSEHOLDS: "修改家庭信息",
    Capability.REVEAL_ID_NUMBERS: "查看完整身份证号",
    Capability.EXPORT_PERSONAL_DATA: "导出个人信息",
    Capability.VIEW_AUDIT: "查看操作留痕",
}


def acting_user(username: str | None, capability: Capability) -> User:
    """The active user named by `--as`, who must hold `capability`; CommandError (Chinese) if not."""
    if not username:
        raise CommandError(AS_REQUIRED)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(UNKNOWN_USER.format(username=username))
    if not has_capability(user, capability):
        raise CommandError(NOT_ALLOWED.format(username=username, role=user.get_role_display() or "无角色",
                                              capability=CAPABILITY_NAMES.get(capability, capability)))
    return user
