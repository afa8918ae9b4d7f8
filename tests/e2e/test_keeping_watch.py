"""Keeping watch (动态监测) in a real browser: a department feed with errors, its report, the fix, a
screening run, and the grid worker (375 px) who goes to see and closes the alert with its outcome.

The feed is 公安 data (vehicles) sent by the county's data-checking office (county civil affairs): one
row names a car registered to a member of a household on the demo grid that declared no car — after
screening, an alert 登记车辆未申报 (疑似隐瞒) for the grid's worker. The file is GBK-encoded CSV, as
county offices' spreadsheets save it.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import E2EServer
from tests.e2e.test_parameters_phone import PHONE, overflowing
from tests.e2e.test_township_clerk_journey import log_in

HEADER = "身份证号,姓名,数据类型,注销（登记）日期,车辆类型,车辆价值（元）"
ITEMS = ("吃穿不愁", "义务教育", "基本医疗", "住房安全", "饮水安全", "劳动就业")
DESKTOP = {"width": 1280, "height": 900}


def a_member_without_a_declared_car(e2e: E2EServer) -> dict[str, str]:
    """A counted member of a household on the demo grid that declared no car or truck (from the server's DB)."""
    return json.loads(e2e.shell(
        "import json\n"
        "from safetynet.registry.models import Household, Membership\n"
        "from safetynet.demo.generator import DEMO_GRID\n"
        "hh = (Household.objects.filter(region_id=DEMO_GRID).exclude(vehicles__kind__in=['car', 'truck'])"
        ".order_by('-pk').first())\n"
        "m = Membership.objects.filter(household=hh, ended_on__isnull=True).select_related('member')"
        ".order_by('position').first().member\n"
        "print(json.dumps({'id': m.id_number, 'name': m.name, 'household': hh.code, 'pk': hh.pk}))"))


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def upload(page: Page, base: str, content: bytes, name: str) -> None:
    page.goto(f"{base}/feeds/")
    page.get_by_label("数据来源").select_option(label="公安局数据（死亡注销、机动车登记）")
    page.get_by_label("数据文件（.xlsx 或 .csv）").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="上传并导入").click()


def test_feed_errors_fixed_screening_alert_and_the_grid_workers_visit(e2e: E2EServer, browser: Browser,
                                                                       shot: Any) -> None:
    base, person = e2e.url, a_member_without_a_declared_car(e2e)
    registered = (date.today() - timedelta(days=60)).isoformat()
    office = browser.new_page(viewport=DESKTOP)
    log_in(office, base, "minzheng")

    # given: a file with two mistakes — an ID number with a wrong check digit, a value in Chinese numerals
    rows = [f"{wrong_check_digit(person['id'])},{person['name']},机动车,{registered},小型汽车,80000.00",
            f"{person['id']},{person['name']},机动车,{registered},小型汽车,八万元"]
    upload(office, base, "\n".join([HEADER, *rows]).encode("gbk"), "公安车辆.csv")

    # then: the import is refused as a whole, and the report says where and how to fix
    expect(office.locator("body")).to_contain_text("有错误，未导入", timeout=30_000)
    shot(office, "feed-rejected")
    with office.expect_download() as download:
        office.get_by_role("link", name=re.compile("下载问题报告")).click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).worksheets[0]
    report = [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    text = "\n".join(" ".join(row) for row in report)
    assert "身份证号" in text and "校验" in text and "车辆价值（元）" in text and "八万元" in text
    assert any(" 2 " in f" {' '.join(row)} " for row in report) and any(" 3 " in f" {' '.join(row)} " for row in report)
    assert person["id"] not in text  # the report masks the ID numbers it cites

    # when: the office fixes both rows and uploads again
    fixed = f"{person['id']},{person['name']},机动车,{registered},小型汽车,80000.00"
    upload(office, base, "\n".join([HEADER, fixed]).encode("gbk"), "公安车辆（修改后）.csv")
    # then: imported, one row added
    expect(office.locator("body")).to_contain_text("已导入", timeout=30_000)
    shot(office, "feed-imported")

    # when: the office runs screening on demand
    office.goto(f"{base}/monitoring/runs/")
    office.get_by_role("button", name="发起筛查").click()
    expect(office.locator(".alert-success").first).to_contain_text("已发起筛查")
    # then: the run finishes in the background and raises the alert
    expect(office.locator("#runs tbody tr").first).to_contain_text("登记车辆未申报", timeout=60_000)
    shot(office, "screening-done")

    # when: the demo grid's worker opens her tasks on a phone
    phone = browser.new_page(viewport=PHONE)
    log_in(phone, base, "tantu_wangge1")
    phone.goto(f"{base}/grid/")
    card = phone.locator(".card", has_text="登记车辆未申报").filter(has_text=person["household"])
    expect(card).to_be_visible()
    expect(card).to_contain_text("疑似隐瞒")
    assert overflowing(phone) == []
    shot(phone, "alert-on-phone")
    card.get_by_role("link", name="上门核实").click()

    # and records the visit that verifies it: everything secured, the car sold last month
    for item in ITEMS:
        phone.locator("fieldset", has=phone.locator("legend", has_text=item)).get_by_text("有保障", exact=True).click()
    phone.get_by_text("经核实无需处理", exact=True).click()
    phone.get_by_label(re.compile("结果说明")).fill("该车已于上月转让他人，户主出示转让合同，家庭申报无误")
    assert overflowing(phone) == []
    shot(phone, "visit-form-phone")
    phone.get_by_role("button", name="保存走访记录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("走访记录")
    shot(phone, "visit-recorded-phone")

    # then: the office sees the alert closed, with its outcome and reason
    office.goto(f"{base}/monitoring/alerts/?kind=undeclared_vehicle&status=closed")
    office.locator("tr", has_text=person["household"]).get_by_role("link", name="登记车辆未申报").click()
    expect(office.locator("body")).to_contain_text("已办结")
    expect(office.locator("body")).to_contain_text("经核实无需处理")
    expect(office.locator("body")).to_contain_text("转让合同")
    shot(office, "alert-closed")
