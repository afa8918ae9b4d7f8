"""County civil affairs replaces a placeholder parameter on a phone (375 px), in a real browser."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_township_clerk_journey import log_in

PHONE = {"width": 375, "height": 812}


OVERFLOWING = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))"""


def overflowing(page: Page) -> list[str]:
    """Elements wider than the phone's screen (a horizontal scroll bar on a phone); [] when it fits."""
    return list(page.evaluate(OVERFLOWING))


def test_county_civil_adds_a_dated_value_on_a_phone(e2e_server: str, browser: Browser, shot: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    # given: county civil affairs is signed in on a phone
    log_in(page, e2e_server, "minzheng")

    # when: she opens 政策参数 from the collapsed menu
    page.get_by_role("button", name="展开菜单").click()
    page.get_by_role("link", name="政策参数").click()

    # then: placeholders are flagged 待确认, and the page fits the phone's width
    expect(page.get_by_role("heading", level=1)).to_have_text("政策参数")
    row = page.get_by_role("row").filter(has_text="dibao.standard.urban_monthly")
    expect(row).to_contain_text("待确认")
    assert overflowing(page) == []
    shot(page, "list-phone")

    # when: she adds the county's official figure from 2025-07-01
    row.get_by_role("link").first.click()
    page.get_by_label("参数值").fill("-800")
    page.get_by_label("生效日期").fill("2025-07-01")
    page.get_by_label("依据（文件及条款）").fill("镇赉县民政局关于调整城乡低保标准的通知（镇民发〔2025〕12号）第二条")
    page.get_by_label("调整理由").fill("取得正式标准，替换占位值")
    page.get_by_role("button", name="添加取值").click()

    # then: a negative amount is refused, naming the field
    expect(page.get_by_role("alert")).to_contain_text("参数值：金额不能为负数")
    assert overflowing(page) == []
    shot(page, "form-error-phone")

    # when: she corrects it
    page.get_by_label("参数值").fill("800")
    page.get_by_role("button", name="添加取值").click()

    # then: the history keeps the file's values and shows hers with who and why
    expect(page.get_by_role("alert")).to_contain_text("已添加")
    history = page.locator("#h-history").locator("xpath=..")
    expect(history).to_contain_text(re.compile(r"800 元/人·月"))
    expect(history).to_contain_text("720 元/人·月")
    expect(history).to_contain_text("管理员添加：张丽华")
    assert overflowing(page) == []
    shot(page, "history-phone")


def test_township_clerk_reads_parameters_without_the_form(e2e_server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    log_in(page, e2e_server, "tantu_jingban")
    page.goto(f"{e2e_server}/parameters/medical.ratio.dibao/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("添加新的取值")).to_have_count(0)
    assert page.goto(f"{e2e_server}/parameters/medical.ratio.dibao/add/").status == 403
