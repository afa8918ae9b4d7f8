"""`manage.py feed_import SOURCE FILE --as USER`: import a department file from the command line.

The same service as the upload page (history, hash, audit, all-or-nothing); the job runs here and now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safetynet.accounts.acting import acting_user
from safetynet.accounts.permissions import Capability
from safetynet.feeds.models import FeedImport, Source
from safetynet.feeds.services import feed_import_start
from safetynet.jobs.services import JobError, job_run_now


class Command(BaseCommand):
    help = "导入部门数据文件（.xlsx 或 .csv）。有错误时整个文件不导入，并给出问题报告的位置。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", choices=Source.values, help="数据来源")
        parser.add_argument("file", help="文件路径")
        parser.add_argument("--as", dest="username", help="操作人账号（留痕）")

    def handle(self, *args: Any, source: str, file: str, username: str | None = None, **options: Any) -> None:
        user = acting_user(username, Capability.IMPORT_FEEDS)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            feed_import = feed_import_start(source=source, file_name=path.name, data=path.read_bytes(), by=user)
        except JobError as error:
            raise CommandError(str(error)) from None
        job_run_now(feed_import.job)
        feed_import.refresh_from_db()
        self.stdout.write(
            f"第{feed_import.pk}号导入：{feed_import.get_status_display()}；数据{feed_import.rows_total}行，"
            f"新增{feed_import.rows_added}，重复{feed_import.rows_duplicate}，未匹配{feed_import.rows_unmatched}，"
            f"错误行{feed_import.rows_invalid}")
        if feed_import.report_file:
            self.stdout.write(f"问题报告：{feed_import.report_file}（位于 MEDIA_ROOT 下）")
        if feed_import.status != FeedImport.Status.DONE:
            raise CommandError(feed_import.error or feed_import.job.error)
