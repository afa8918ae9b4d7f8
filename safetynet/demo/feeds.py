"""The demo county's first month of department data, imported as the departments would send it.

Small CSV files per source (a few hundred rows in all) about members of demo households — deaths,
vehicles, business registrations, self-paid medical costs, employment, disability certificates,
housing appraisals, water checks, disaster losses, dropouts, rural-affairs marks and income surveys — plus two people
per file who are not in the registry (reported 未匹配). They go through the real import (history,
hash, audit), then a screening run with alerts, so the office's front page has work on it.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from safetynet.accounts.models import User
from safetynet.core.idnumber import make_id_number
from safetynet.demo.generator import DEMO_GRID
from safetynet.feeds.models import FeedImport
from safetynet.feeds.services import feed_import_start
from safetynet.feeds.spec import source_specs
from safetynet.jobs.services import job_run_now
from safetynet.monitoring.services import screening_run
from safetynet.registry.models import Membership

# source → the demo user who sends it (rural affairs' own marks come from county rural affairs)
SENDERS = {"police": "gongan", "market": "shichang", "medical": "yibao", "hrss": "renshe", "disability": "canlian",
           "housing": "zhujian", "water": "shuili", "emergency": "yingji", "education": "jiaoyu", "rural": "nongye"}


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str
    born: date
    relation: str
    employment: str
    household_id: int
    region: str


Row = dict[str, str]


def _people() -> list[Person]:
    return [Person(*values) for values in Membership.objects.filter(ended_on__isnull=True).order_by("member_id")
            .values_list("member__id_number", "member__name", "member__birth_date", "relation",
                         "member__employment", "household_id", "household__region_id")]


def _age(person: Person, on: date) -> int:
    return on.year - person.born.year - ((on.month, on.day) < (person.born.month, person.born.day))


def _facts(people: list[Person], on: date, rng: random.Random) -> dict[str, list[Row]]:
    """Rows per source, by column header, about a deterministic sample of `people`."""
    def pick(n: int, keep: Callable[[Person], bool]) -> list[Person]:
        chosen = [p for p in people if keep(p)]
        return rng.sample(chosen, min(n, len(chosen)))

    def day() -> str:
        return (on - timedelta(days=rng.randint(5, 150))).isoformat()

    def money(low: int, high: int) -> str:
        return f"{rng.randint(low, high)}.00"

    def base(p: Person) -> Row:
        return {"身份证号": p.id_number, "姓名": p.name}

    heads = [p for p in people if p.relation == "self"]
    working = lambda p: 18 <= _age(p, on) <= 55  # noqa: E731
    # The demo grid worker's own households get a car and a large medical bill, so her phone has work.
    on_grid = [p for p in people if p.region == DEMO_GRID and working(p)][:2]
    grid_rows = {
        "police": [{**base(p), "数据类型": "机动车", "注销（登记）日期": day(), "车辆类型": "小型汽车",
                    "车辆价值（元）": "76000.00"} for p in on_grid[:1]],
        "medical": [{**base(p), "数据类型": "医疗自付", "结算日期": day(), "个人自付金额（元）": "58000.00"}
                    for p in on_grid[1:]],
    }
    rows = {
        "police": [{**base(p), "数据类型": "死亡注销", "注销（登记）日期": day()} for p in pick(12, lambda p: _age(p, on) >= 75)]
        + [{**base(p), "数据类型": "机动车", "注销（登记）日期": day(), "车辆类型": kind, "车辆价值（元）": money(30_000, 120_000)}
           for p, kind in zip(pick(16, working), ["小型汽车"] * 10 + ["摩托车"] * 4 + ["货车"] * 2, strict=False)],
        "market": [{**base(p), "登记日期": day(), "主体名称": f"镇赉县{p.name}商店", "注册资本（元）": money(10_000, 200_000)}
                   for p in pick(8, working)],
        "medical": [{**base(p), "数据类型": "医疗自付", "结算日期": day(),
                     "个人自付金额（元）": money(20_000, 80_000) if i % 10 == 0 else money(800, 9_000)}
                    for i, p in enumerate(pick(150, lambda p: True))],
        "hrss": [{**base(p), "数据类型": "就业登记", "登记日期": day(), "用人单位": "镇赉县农业产业园",
                  "月工资（元）": money(2_300, 4_500)}
                 for p in pick(30, lambda p: working(p) and p.employment in ("none", "unemployed"))]
        + [{**base(p), "数据类型": "失业登记", "登记日期": day()} for p in pick(10, working)],
        "disability": [{**base(p), "发证（变更）日期": day(), "残疾类别": rng.choice(["肢体", "视力", "听力", "智力"]),
                        "残疾等级": rng.choice(["一级", "二级", "三级", "四级"]), "证件状态": "有效"}
                       for p in pick(30, lambda p: _age(p, on) >= 16)],
        "housing": [{**base(p), "数据类型": "住房鉴定", "鉴定（登记）日期": day(), "鉴定等级": rng.choice(["C级", "D级"])}
                    for p in rng.sample(heads, 25)]
        + [{**base(p), "数据类型": "不动产登记", "鉴定（登记）日期": day(), "房屋位置": "城镇", "建筑面积（平方米）": money(45, 110)}
           for p in rng.sample(heads, 8)],
        "water": [{**base(p), "核查日期": day(), "饮水安全": "不安全"} for p in rng.sample(heads, 12)],
        "emergency": [{**base(p), "受灾日期": day(), "灾害类型": rng.choice(["洪涝", "风雹", "干旱"]),
                       "损失金额（元）": money(8_000, 45_000)} for p in rng.sample(heads, 15)],
        "education": [{**base(p), "数据类型": "辍学", "日期": day(), "学段": "初中"}
                      for p in pick(8, lambda p: 12 <= _age(p, on) <= 15)],
        "rural": [{**base(p), "数据类型": "监测标识", "日期": day(), "是否监测对象": "是"} for p in rng.sample(heads, 10)]
        + [{**base(p), "数据类型": "收入核查", "日期": day(), "家庭年纯收入（元）": money(6_000, 60_000)}
           for p in rng.sample(heads, 20)],
    }
    return {source: grid_rows.get(source, []) + source_rows for source, source_rows in rows.items()}


def _strangers(rng: random.Random, on: date) -> list[Row]:
    """Two people the registry does not hold: the report lists them as 未匹配."""
    return [{"身份证号": make_id_number("220821", date(1960 + rng.randint(0, 40), 1 + rng.randint(0, 11), 1 + i),
                                       901 + 2 * i), "姓名": name}
            for i, name in enumerate(["孟繁华", "谭玉兰"])]


def _csv(source: str, rows: list[Row]) -> bytes:
    headers = [c.header for c in source_specs()[source].columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("gbk")  # as the county's spreadsheets save CSV


def demo_watch_build(*, on: date, seed: int) -> dict[str, Any]:
    """Import the demo's department files, then screen with alerts. Run after the county is committed:
    an import writes its progress outside its own transaction."""
    rng = random.Random(seed)
    people = _people()
    users = {u.username: u for u in User.objects.filter(username__in=[*SENDERS.values(), "minzheng"])}
    imported = {}
    for source, rows in _facts(people, on, rng).items():
        template = dict(rows[0]) if rows else {}
        strangers = [{**template, **stranger} for stranger in _strangers(rng, on)]
        feed_import = feed_import_start(source=source, file_name=f"{source_specs()[source].label}{on:%Y%m}.csv",
                                        data=_csv(source, rows + strangers), by=users[SENDERS[source]])
        job_run_now(feed_import.job)
        feed_import.refresh_from_db()
        if feed_import.status != FeedImport.Status.DONE:
            raise RuntimeError(f"演示部门数据 {source} 未能导入：{feed_import.error}")
        imported[source] = feed_import.rows_added
    outcome = screening_run(on=on, store=True, by=users["minzheng"], alerts=True)
    return {"facts": imported, "alerts": (outcome.run.counts or {}).get("alerts", {})}
