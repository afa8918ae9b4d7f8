"""A grid worker records a visit on a phone (375 px): due households first, the checklist, a camera photo,
an alert raised from what was found (主动发现). In a real browser against a real server."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, expect

from tests.e2e.test_parameters_phone import PHONE, overflowing
from tests.e2e.test_township_clerk_journey import log_in

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
ITEMS = ("吃穿不愁", "义务教育", "基本医疗", "住房安全", "饮水安全", "劳动就业")


def test_grid_worker_records_a_visit_and_raises_an_alert_on_a_phone(e2e_server: str, browser: Browser,
                                                                     shot: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    # given: the demo grid's worker is signed in on a phone
    log_in(page, e2e_server, "tantu_wangge1")

    # when: she opens 网格走访 from the collapsed menu
    page.get_by_role("button", name="展开菜单").click()
    page.get_by_role("link", name="网格走访").click()

    # then: the households to visit come first, each with a big button, and the page fits the phone
    expect(page.get_by_role("heading", level=1)).to_have_text("走访任务")
    expect(page.get_by_role("heading", name="应走访的家庭")).to_be_visible()
    assert overflowing(page) == []
    shot(page, "tasks-phone")

    # when: she visits the first household, answers the checklist with one risk, takes a photo, submits
    page.get_by_role("link", name="走访登记").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("走访登记")
    assert overflowing(page) == []
    for item in ITEMS:
        page.locator("fieldset", has=page.locator("legend", has_text=item)).get_by_text("有保障", exact=True).click()
    page.locator("fieldset", has=page.locator("legend", has_text="住房安全")).get_by_text("有风险", exact=True).click()
    page.get_by_role("button", name="保存走访记录").click()

    # then: the missing description of the risk is named, on its field
    expect(page.get_by_role("alert")).to_contain_text("“住房安全”选了“有风险”：请在“住房安全说明”中写明看到的情况")
    assert overflowing(page) == []
    shot(page, "form-error-phone")

    # when: she describes it, adds a photo and raises an alert
    page.get_by_label("住房安全说明（有风险时必填）").fill("西屋墙体开裂，雨季漏雨")
    page.get_by_label("现场照片（可拍多张）").set_input_files(
        [{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    page.get_by_text("发现风险，发起预警（主动发现）").click()
    page.get_by_label("发现的情况（发起预警时必填）").fill("房屋开裂，建议住建部门鉴定")
    shot(page, "form-filled-phone")
    page.get_by_role("button", name="保存走访记录").click()

    # then: the visit is recorded with its risk and photo, and the alert raised with its deadline
    expect(page.get_by_role("heading", level=1)).to_have_text("走访记录")
    expect(page.locator(".alert-success").first).to_contain_text("已登记走访")
    expect(page.locator("#visit-checks")).to_contain_text("西屋墙体开裂，雨季漏雨")
    expect(page.locator("#visit-finding")).to_contain_text("已发起预警：走访发现")
    expect(page.get_by_alt_text("走访照片 1")).to_be_visible()
    assert overflowing(page) == []
    shot(page, "visit-phone")
