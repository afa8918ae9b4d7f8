"""Create or update households from a JSON/YAML file: `safetynet household_import FILE --as USERNAME [--update]`.

All or nothing: the whole file is one transaction; any error prints every error found, each with its
field path (`[3].members[1].id_number：…` in a list), and saves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from safetynet.accounts.acting import acting_user
from safetynet.accounts.permissions import Capability
from safetynet.core.console import SourceUnreadable, read_source, utf8_output
from safetynet.core.document import DocumentInvalid
from safetynet.registry.document_io import (
    FileUnreadable,
    Imported,
    documents_load,
    documents_of,
    households_import,
)

FAILED = "导入失败：发现{count}处错误，未保存任何数据。请按上列提示修改文件后重新导入"
DATABASE_FAILED = "导入失败：数据库拒绝写入（{kind}），未保存任何数据。详情已略去以保护个人信息，请联系系统管理员"
OUTCOMES = {"created": "新建", "updated": "已更新", "unchanged": "无变化"}
FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class Command(BaseCommand):
    help = "从 JSON 或 YAML 文件（一个户数据文档或文档列表）新建或更新家庭；全部成功才保存"
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="JSON 或 YAML 文件；用 - 表示从标准输入读取")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="操作人账号（必填，须有修改权限）")
        parser.add_argument("--update", action="store_true", help="户编号已存在时按文档更新该户")
        parser.add_argument("--format", choices=["json", "yaml"], default="",
                            help="文件格式；不填则按扩展名或内容判断")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_output()
        user = acting_user(options["as_user"], Capability.EDIT_HOUSEHOLDS)
        name = options["file"]
        raw = self._read(name, options.get("stdin"))
        fmt = options["format"] or FORMATS.get(Path(name).suffix.lower(), "")
        try:
            items, indexed = documents_of(documents_load(raw, fmt=fmt))
            imported = households_import(items=items, by=user, update=options["update"], indexed=indexed)
        except FileUnreadable as error:
            raise CommandError(f"{'标准输入' if name == '-' else name}：{error}") from None
        except DocumentInvalid as error:
            for field_error in error.errors:
                self.stderr.write(str(field_error))
            raise CommandError(FAILED.format(count=len(error.errors))) from None
        except DatabaseError as error:
            raise CommandError(DATABASE_FAILED.format(kind=type(error).__name__)) from None
        self._report(imported)

    def _read(self, name: str, stdin: Any) -> bytes:
        try:
            return read_source(name, stdin)
        except SourceUnreadable as error:
            raise CommandError(str(error)) from None


    def _report(self, imported: list[Imported]) -> None:
        for item in imported:
            self.stdout.write(f"[{item.index}] 户编号 {item.household.code}：{OUTCOMES[item.outcome]}"
                              f"（第{item.household.version}版）")
        counts = {key: sum(1 for i in imported if i.outcome == key) for key in OUTCOMES}
        self.stdout.write(f"导入完成：共{len(imported)}户，新建{counts['created']}户，"
                          f"更新{counts['updated']}户，无变化{counts['unchanged']}户")
