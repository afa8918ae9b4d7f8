"""The one-window path (一门受理) in a real browser: township clerk, township reviewer, county civil affairs.

One application for 低保, an objection during 公示 sending it back to 调查核实, a second round, and the
county's confirmation after 公示; the household page then shows 低保 with its monthly amount. Every step
is dated in the past (the pages' 办理日期 field) so the 7-day 公示 has really ended when the county confirms.
The household is one the rules engine assesses as 低保 today, found through its own assessment panel.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_township_clerk_journey import log_in

DIBAO_BADGE = 'text-bg-primary">最低生活保障对象（低保）'
START = date.today() - timedelta(days=40)


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def find_dibao_household(page: Page, base: str) -> str:
    """The first household of the clerk's list that the engine assesses as 低保 (its assessment panel says so)
    and that receives nothing yet (the demo county leaves one eligible household in 20 without a status)."""
    for number in range(1, 41):
        page.goto(f"{base}/households/?page={number}")
        links = page.locator("a[href^='/households/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        for href in dict.fromkeys(h for h in links if re.fullmatch(r"/households/\d+/", h)):
            if (DIBAO_BADGE in page.request.get(f"{base}{href}assessment/").text()
                    and "尚无认定记录" in page.request.get(f"{base}{href}").text()):
                return f"{base}{href}"
    raise AssertionError("no household of the clerk's first 40 pages is assessed as 低保 and without a status")


def step(page: Page, action: str, on: str, **fields: str) -> None:
    """Fill one step's form on the application page (its 办理日期 and other fields) and send it."""
    form = page.locator(f"#act-{action}")
    form.get_by_label(re.compile(r"日期")).first.fill(on)
    for label, value in fields.items():
        form.get_by_label(re.compile(f"^{label}")).fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def investigate(page: Page, *, on: int, observations: str, photo: Path) -> None:
    visit = page.locator("#act-visit_record")
    visit.get_by_label(re.compile("入户日期")).fill(day(on))
    visit.get_by_label(re.compile("入户人员")).fill("李春梅、孙建军")
    visit.get_by_label("入户所见情况").fill(observations)
    visit.get_by_label("现场照片（可多张）").set_input_files(str(photo))
    visit.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("记录入户调查")
    step(page, "investigation_complete", day(on))


def decide_and_publicise(page: Page, *, on: int) -> None:
    """The reviewer keeps the engine's proposal for the categories and declines the 防返贫 tag (not asked for)."""
    review = page.locator("#act-review_decide")
    expect(review).to_contain_text("建议认定")
    tag_row = review.get_by_role("row").filter(has_text="防止返贫监测对象")
    tag_row.get_by_label("不认定").check()
    tag_row.get_by_role("textbox").fill("未申请纳入防止返贫监测")
    step(page, "review_decide", day(on))
    notice = page.locator("#act-publicity_start")
    expect(notice).to_be_visible()
    step(page, "publicity_start", day(on))


def test_one_window_path_with_an_objection_ends_with_dibao_on_the_household_page(
    e2e_server: str, browser: Browser, shot: Any, tmp_path: Path
) -> None:
    base = e2e_server
    scan, photo = tmp_path / "授权书.pdf", tmp_path / "入户.png"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    clerk = browser.new_page(viewport={"width": 1280, "height": 900})
    reviewer = browser.new_page(viewport={"width": 1280, "height": 900})
    county = browser.new_page(viewport={"width": 1280, "height": 900})

    # given: the clerk of 坦途镇 opens a household the engine assesses as 低保
    log_in(clerk, base, "tantu_jingban")
    household_url = find_dibao_household(clerk, base)
    clerk.goto(household_url)
    expect(clerk.locator("#status-line")).to_contain_text("尚无认定记录")

    # when: she registers the application for 低保 with the signed authorisation, and accepts it
    clerk.get_by_role("link", name="提出申请").click()
    clerk.get_by_label("最低生活保障（低保）").check()
    clerk.get_by_label(re.compile("核对授权书")).set_input_files(str(scan))
    clerk.get_by_label("申请说明").fill("户主患慢性病，家庭收入低")
    clerk.get_by_label(re.compile("申请日期")).fill(day(0))
    shot(clerk, "create-application")
    clerk.get_by_role("button", name="登记申请").click()
    expect(clerk.locator("#app-state")).to_have_text("已申请")
    application_url = clerk.url
    step(clerk, "accept", day(0))
    expect(clerk.locator("#app-state")).to_have_text("已受理")

    # and: starts the investigation with two staff, records the visit and submits for review
    form = clerk.locator("#act-investigation_start")
    form.get_by_label(re.compile("李春梅")).check()
    form.get_by_label(re.compile("孙建军")).check()
    step(clerk, "investigation_start", day(1))
    investigate(clerk, on=2, observations="两口之家，平房，无大件电器", photo=photo)
    expect(clerk.locator("#app-state")).to_have_text("分类审核")
    shot(clerk, "submitted-for-review")

    # when: the township reviewer decides as the engine proposes and starts 公示
    log_in(reviewer, base, "tantu_shenhe")
    reviewer.goto(application_url)
    shot(reviewer, "review-form")
    decide_and_publicise(reviewer, on=3)
    expect(reviewer.locator("#app-state")).to_have_text("公示")
    expect(reviewer.locator(".sn-notice").last).to_contain_text("*")
    shot(reviewer, "publicity")

    # and: an objection arrives during 公示: back to 调查核实
    step(reviewer, "objection_record", day(5), 异议内容="村民反映其子在外务工收入较高")
    expect(reviewer.locator("#app-state")).to_have_text("调查核实")

    # then: the clerk visits again and resubmits; the reviewer decides again and publicises again
    clerk.goto(application_url)
    investigate(clerk, on=6, observations="复核：其子已分户另过，不共同生活", photo=photo)
    reviewer.goto(application_url)
    decide_and_publicise(reviewer, on=7)
    expect(reviewer.locator("#app-state")).to_have_text("公示")

    # when: county civil affairs confirms the day after the 7-day 公示 ended
    log_in(county, base, "minzheng")
    county.get_by_role("link", name="我的待办").click()
    task = county.get_by_role("row").filter(has_text="确认或不予确认救助类别")
    expect(task).to_be_visible()
    shot(county, "county-tasks")
    task.get_by_role("link").first.click()
    expect(county).to_have_url(application_url)
    step(county, "confirm", day(14), 确认意见="经审核，符合低保条件")
    expect(county.locator("#app-state")).to_have_text("已生效")
    expect(county.locator(".sn-steps [aria-current=step]")).to_contain_text("生效")
    shot(county, "effective")

    # then: the household page shows 低保 with its monthly amount
    county.get_by_role("link", name=re.compile(r"^\d{16}$")).first.click()
    status = county.locator("#status-line")
    expect(status).to_contain_text("最低生活保障（低保）")
    expect(status).to_contain_text(re.compile(r"低保金 [\d.]+ 元/月"))
    shot(county, "household-dibao")
