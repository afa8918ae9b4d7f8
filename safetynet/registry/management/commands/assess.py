"""Assess one household document: `safetynet assess FILE [--on YYYY-MM-DD]`.

FILE is a household document in JSON or YAML (`-` for standard input), the format `household_export`
writes. The assessment is printed as JSON. No database is used: it runs before `migrate`, on the
parameter files alone (values added by administrators through the web UI are not applied here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.core.console import SourceUnreadable, read_source, utf8_output
from safetynet.core.document import DocumentInvalid
from safetynet.registry.assessment import DateInvalid, as_of_parse, assessment_dumps, data_assess
from safetynet.registry.document_io import FileUnreadable, documents_load

FAILED = "核算失败：发现{count}处错误。请按上列提示修改文件后重试"
BAD_ON = "--on {message}"
NOT_ONE = "文件内容应为一个户数据文档（对象）；核算一次只处理一户"
FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class Command(BaseCommand):
    help = "按政策规则核算一个户数据文档（JSON 或 YAML），以 JSON 输出认定结果及依据；不读写数据库"
    stealth_options = ("stdin",)
    requires_system_checks = ()  # nothing to check: no database, no URL, no model is used

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="户数据文档（JSON 或 YAML）；用 - 表示从标准输入读取")
        parser.add_argument("--on", metavar="YYYY-MM-DD", default="", help="核算日期（不填为今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_output()
        try:
            on = as_of_parse(options["on"])
        except DateInvalid as error:
            raise CommandError(BAD_ON.format(message=error)) from None
        name = options["file"]
        data = self._load(name, options.get("stdin"))
        try:
            result = data_assess(data, on=on)
        except DocumentInvalid as error:
            for field_error in error.errors:
                self.stderr.write(str(field_error))
            raise CommandError(FAILED.format(count=len(error.errors))) from None
        self.stdout.write(assessment_dumps(result))

    def _load(self, name: str, stdin: Any) -> Any:
        try:
            data = documents_load(self._read(name, stdin), fmt=FORMATS.get(Path(name).suffix.lower(), ""))
        except FileUnreadable as error:
            raise CommandError(f"{'标准输入' if name == '-' else name}：{error}") from None
        if not isinstance(data, dict):
            raise CommandError(NOT_ONE)
        return data

    def _read(self, name: str, stdin: Any) -> bytes:
        try:
            return read_source(name, stdin)
        except SourceUnreadable as error:
            raise CommandError(str(error)) from None
