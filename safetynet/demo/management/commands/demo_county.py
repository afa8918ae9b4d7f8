"""`manage.py demo_county [--households N] [--seed S]`: the synthetic 镇赉县 and its demo logins.

Runs once; later runs find the county there and only print the logins again.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.demo.feeds import demo_watch_build
from safetynet.demo.services import DEMO_PASSWORD, DemoRefused, demo_county_build, demo_users_ensure
from safetynet.regions.datafile import RegionFileInvalid


class Command(BaseCommand):
    help = "生成演示县（合成数据，约2万户、6万人）和各角色演示账号；已生成时只显示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=20_500, help="户数（默认 20500）")
        parser.add_argument("--seed", type=int, default=2025, help="随机种子（同一种子、同一天生成的数据相同）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] < 1:
            raise CommandError("--households 应为正整数")
        started = time.monotonic()
        try:
            result = demo_county_build(households=options["households"], seed=options["seed"],
                                       as_of=timezone.localdate())
        except (DemoRefused, RegionFileInvalid) as error:
            raise CommandError(str(error)) from None
        if result.built:
            watch = demo_watch_build(on=timezone.localdate(), seed=options["seed"])
            self.stdout.write(f"演示部门数据已导入 {sum(watch['facts'].values())} 条；首次筛查生成预警 "
                              f"{sum(watch['alerts'].values())} 条")
        seconds = time.monotonic() - started
        state = "已生成" if result.built else "已存在，未重复生成"
        self.stdout.write(f"演示县{state}：{result.households} 户、{result.people} 人（{seconds:.1f} 秒）")
        self.stdout.write(self.login_table(demo_users_ensure()))

    def login_table(self, users: list[User]) -> str:
        lines = ["", f"演示账号（密码均为 {DEMO_PASSWORD}，仅供演示；正式使用前请停用）：",
                 _row("账号", "密码", "角色", "姓名", "所属区划/部门")]
        for user in users:
            where = user.get_department_display() if user.department else (
                (user.region.full_name or user.region.name) if user.region else "")
            lines.append(_row(user.username, DEMO_PASSWORD, user.get_role_display(), user.full_name, where))
        return "\n".join(lines)


def _row(*cells: str) -> str:
    """Columns padded by display width: a Chinese character takes two columns in a terminal."""
    widths = (18, 11, 15, 8)
    out = []
    for cell, width in zip(cells, widths):
        used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell)
        out.append(cell + " " * max(1, width - used))
    return "".join(out) + cells[-1]
