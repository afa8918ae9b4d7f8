"""Print one household as a document: `safetynet household_export CODE_OR_ID --as USERNAME [--format yaml]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.acting import acting_user
from safetynet.accounts.permissions import Capability
from safetynet.core.console import utf8_output
from safetynet.registry.document_io import documents_dump, household_export
from safetynet.registry.models import Household
from safetynet.registry.selectors import NOT_FOUND


def household_for_command(user: Any, code_or_id: str) -> Household:
    """By 户编号 first, then by internal id; scoped like every read, so "not yours" reads as "not found"."""
    visible = Household.objects.visible_to(user)
    household = visible.filter(code=code_or_id).first()
    if household is None and code_or_id.isdigit() and len(code_or_id) <= 18:
        household = visible.filter(pk=int(code_or_id)).first()
    if household is None:
        raise CommandError(f"{code_or_id}：{NOT_FOUND}")
    return household


class Command(BaseCommand):
    help = "按户编号（或内部编号）导出一户的户数据文档（JSON 或 YAML），导出行为留痕"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("household", metavar="CODE_OR_ID", help="户编号，或内部编号")
        parser.add_argument("--format", choices=["json", "yaml"], default="json", help="输出格式，默认 json")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="操作人账号（必填，须有导出权限）")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_output()
        user = acting_user(options["as_user"], Capability.EXPORT_PERSONAL_DATA)
        household = household_for_command(user, options["household"].strip())
        data = household_export(household=household, by=user, via="cli", fmt=options["format"])
        self.stdout.write(documents_dump(data, fmt=options["format"]), ending="")
