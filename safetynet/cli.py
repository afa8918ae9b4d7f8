"""The `safetynet` console command: the management commands county staff and operators need."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["screen"]:
        from safetynet.monitoring.batch import prepare_batch_process

        prepare_batch_process()  # before Django loads the apps, and polars with them
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safetynet", *args])
