"""`manage.py load_regions [--file PATH]`: load the region tree file (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.regions.datafile import DEFAULT_FILE, RegionFileInvalid
from safetynet.regions.services import regions_load


class Command(BaseCommand):
    help = "从区划文件载入县、乡镇、村（社区）、网格（重复运行不会重复写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(DEFAULT_FILE), help=f"区划文件（默认 {DEFAULT_FILE}）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = regions_load(options["file"])
        except RegionFileInvalid as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(result))
