"""A township clerk's day with the registry, in a real browser against a real server."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

DEMO_PASSWORD = "Demo-2025"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_clerk_finds_household_by_pinyin_reveals_id_and_edits_income(
    e2e_server: str, browser: Browser, shot: Any
) -> None:
    base = e2e_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # given: the township clerk of 坦途镇 is logged in
    log_in(page, base, "tantu_jingban")
    shot(page, "household-list")

    # when: she types the initials of 王建国 into the search box (htmx updates the list as she types)
    page.get_by_role("searchbox").fill("wjg")
    row = page.get_by_role("row").filter(has_text="王建国").first
    expect(row).to_be_visible()
    shot(page, "search-wjg")
    row.get_by_role("link").first.click()

    # then: the household page shows masked ID numbers only
    expect(page.get_by_role("heading", level=1)).to_contain_text("2208211012000001")
    head_row = page.get_by_role("row").filter(has_text="王建国").first
    masked = head_row.locator(".sn-id").inner_text()
    assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", masked), masked
    shot(page, "household-masked")

    # when: she reveals the head's ID number
    head_row.get_by_role("button", name="显示").click()
    full = head_row.locator(".sn-id")
    expect(full).to_have_text(re.compile(r"^\d{17}[\dX]$"))
    full_number = full.inner_text()
    assert full_number[:6] == masked[:6] and full_number[-4:] == masked[-4:]
    shot(page, "household-revealed")

    # and: she changes the head's wage income
    head_row.get_by_role("link", name="修改").click()
    wages = page.get_by_label("工资性收入（元/年）")
    wages.fill("12345")
    page.get_by_role("button", name="保存").click()

    # then: the change is in the household's history, with before and after
    history = page.locator("section", has=page.get_by_role("heading", name="变更记录"))
    latest = history.locator("li").first
    expect(latest).to_contain_text("第 2 版")
    latest.locator("summary").click()
    expect(latest).to_contain_text("工资性收入")
    expect(latest).to_contain_text("12,345.00 元")
    assert full_number not in page.content(), "the timeline must not show the full ID number"
    shot(page, "history-after-edit")

    # and: the auditor sees the reveal on the audit page
    auditor = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(auditor, base, "jijian")
    auditor.goto(f"{base}/audit/?action=reveal")
    reveal_row = auditor.get_by_role("row").filter(has_text="tantu_jingban").first
    expect(reveal_row).to_contain_text("查看完整身份证号")
    expect(reveal_row).to_contain_text(masked[-4:])
    assert full_number not in auditor.content()
    shot(auditor, "audit-reveal")

    # and: no request left the machine (no CDN, no fonts from elsewhere)
    outside = [url for url in requests if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside


def test_household_list_and_page_fit_a_phone(e2e_server: str, browser: Browser, shot: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800}, device_scale_factor=2)
    log_in(page, e2e_server, "tantu_wangge1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the list is {width}px wide at 375px"
    shot(page, "phone-list")
    page.get_by_role("searchbox").fill("王建国")
    page.get_by_role("link", name=re.compile("2208211012000001")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2208211012000001")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the household page is {width}px wide at 375px"
    # a grid worker may not reveal ID numbers
    expect(page.get_by_role("button", name="显示")).to_have_count(0)
    shot(page, "phone-household")
