"""`safetynet screen [--on DATE] [--roster DIR] [--store/--no-store] [--alerts] [--as USER]`, `safetynet screen --compare A B`.

Screens every household of the registry (or a Parquet roster) through the rules engine, with a
progress bar on stderr, and prints the counts per category in Chinese.

`--alerts` (registry only) enters the department facts and raises alerts for what the previous run
did not find (monitoring/alerting.py). It is not the default: a plain run is also how a new
registry gets its baseline (the demo county's statuses come from one). The monthly run is a cron
line, e.g. on the 1st at 02:00:
    0 2 1 * *  cd /srv/safetynet && .venv/bin/safetynet screen --alerts --as minzheng >> var/log/screen.log 2>&1
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from safetynet.accounts.acting import acting_user
from safetynet.accounts.permissions import Capability
from safetynet.core.console import utf8_output
from safetynet.monitoring.models import Alert, ScreeningRun
from safetynet.monitoring.screening import CHUNK_HOUSEHOLDS
from safetynet.monitoring.selectors import (
    ScreeningChange,
    ScreeningResultsMissing,
    screening_compare,
    screening_run_get,
)
from safetynet.monitoring.services import ScreeningOutcome, screening_household_total, screening_run
from safetynet.policy.explain import CATEGORY_LABELS, RISK_LABELS, TAG_LABELS
from safetynet.policy.rules.categories import CATEGORY_ORDER

ALERT_KINDS = dict(Alert.Kind.choices)
BAD_DATE = "--on 应为日期，格式 YYYY-MM-DD，例如 2025-08-01"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(BAD_DATE) from None


def _labels(codes: list[str] | None, labels: dict[str, str]) -> str:
    if codes is None:
        return "（不在该次筛查中）"
    return "、".join(labels.get(c, c) for c in codes) or "无"


class Command(BaseCommand):
    help = "动态监测筛查：按政策规则批量认定全部家庭（或 Parquet 名册），保存筛查批次与每户结果；--compare 比较两次筛查"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="认定基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--roster", type=Path, metavar="DIR",
                            help="Parquet 名册目录（households/members/obligor_supports.parquet）；结果写在名册旁")
        parser.add_argument("--store", action=argparse.BooleanOptionalAction, default=True,
                            help="保存筛查批次和结果（默认保存；--no-store 只统计）")
        parser.add_argument("--alerts", action="store_true",
                            help="计入部门数据并生成预警（仅家庭档案库筛查；与上次筛查相比新发现的才预警）")
        parser.add_argument("--chunk", type=int, default=CHUNK_HOUSEHOLDS, help="每批户数（控制内存）")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="发起人账号（可选，记入批次与留痕）")
        parser.add_argument("--compare", nargs=2, type=int, metavar=("A", "B"), help="比较第 A 次与第 B 次筛查")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_output()
        if options["compare"]:
            self.compare(*options["compare"])
            return
        if options["chunk"] < 1:
            raise CommandError("--chunk 应为正整数")
        roster = options["roster"]
        if roster is not None and not roster.is_dir():
            raise CommandError(f"--roster {roster}：目录不存在")
        if options["alerts"] and (roster is not None or not options["store"]):
            raise CommandError("--alerts 只能用于家庭档案库筛查，且须保存结果（不能与 --roster 或 --no-store 同用）")
        by = acting_user(options["as_user"], Capability.VIEW_HOUSEHOLDS) if options["as_user"] else None
        on = options["on"] or timezone.localdate()
        outcome = self.screen(on=on, roster=roster, store=options["store"], chunk=options["chunk"], by=by,
                              alerts=options["alerts"])
        self.stdout.write(self.summary(outcome, on=on))

    def screen(self, *, on: dt.date, roster: Path | None, store: bool, chunk: int, by: Any,
               alerts: bool = False) -> ScreeningOutcome:
        try:
            total = screening_household_total(roster_dir=roster)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        self.stderr.ending, self.stderr.style_func = "", None  # the bar redraws its own line, uncoloured
        with tqdm(total=total, unit="户", desc="筛查", file=self.stderr, mininterval=0.5, dynamic_ncols=True) as bar:
            return screening_run(on=on, roster_dir=roster, store=store, chunk=chunk, by=by, progress=bar.update,
                                 alerts=alerts)

    def summary(self, outcome: ScreeningOutcome, *, on: dt.date) -> str:
        t, run = outcome.totals, outcome.run
        title = f"第 {run.pk} 次筛查" if run else "筛查（未保存）"
        lines = [(f"{title}完成：认定基准日 {on}，参数版本 {outcome.parameter_version}，"
                  f"共 {t.households} 户，用时 {outcome.seconds:.1f} 秒")]
        lines += [f"  {CATEGORY_LABELS[c]}：{t.categories.get(c, 0)} 户" for c in CATEGORY_ORDER]
        lines[1] += f"（共 {t.tekun_members} 人）"
        lines.append(f"  不属于以上类别：{t.no_category} 户")
        lines += [f"  {label}（标识）：{t.tags.get(code, 0)} 户" for code, label in TAG_LABELS.items()]
        lines.append(f"  防止返贫监测预警（待核实）：{t.monitoring_candidate} 户")
        if t.errors:
            lines.append(f"  无法认定（成员信息有误）：{t.errors} 户")
        risks = "；".join(f"{RISK_LABELS.get(code, code)} {n} 户" for code, n in sorted(t.risks.items()))
        lines.append(f"  风险：{risks or '无'}")
        if run is not None and "alerts" in run.counts:
            raised = run.counts["alerts"]
            kinds = "；".join(f"{ALERT_KINDS.get(k, k)} {n} 条" for k, n in sorted(raised.items()))
            lines.append(f"  新生成预警：{sum(raised.values())} 条{'（' + kinds + '）' if kinds else ''}")
        if outcome.results_path:
            lines.append(f"结果文件：{outcome.results_path}")
        return "\n".join(lines)

    def compare(self, a: int, b: int) -> None:
        try:
            run_a, run_b = screening_run_get(a), screening_run_get(b)
        except ScreeningRun.DoesNotExist as error:
            raise CommandError(str(error)) from None
        try:
            changes = screening_compare(run_a, run_b)
        except ScreeningResultsMissing as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"第 {a} 次（{run_a.as_of}）→ 第 {b} 次（{run_b.as_of}）筛查：{len(changes)} 户类别或标识有变化")
        for change in changes:
            self.stdout.write(self.change_line(change))

    def change_line(self, c: ScreeningChange) -> str:
        line = (f"  {c.code}：{_labels(c.categories_before, CATEGORY_LABELS)} → "
                f"{_labels(c.categories_after, CATEGORY_LABELS)}")
        if c.tags_before != c.tags_after and c.categories_before is not None and c.categories_after is not None:
            line += f"；标识 {_labels(c.tags_before, TAG_LABELS)} → {_labels(c.tags_after, TAG_LABELS)}"
        return line
