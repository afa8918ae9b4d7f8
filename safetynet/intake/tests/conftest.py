"""Fixtures of the one-window path: scans, a household of township A, and a path walked step by step.

The standard path (all dates in 2025, every one a working day unless said):
  申请 + 受理 Mon 09-01 · 调查核实 Tue 09-02 · 入户 Wed 09-03 · 审核 Thu 09-04 (engine and township: 低保)
  · 公示 Fri 09-05 … Thu 09-11 (7 calendar days) · county confirms from Fri 09-12.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import household_data
from safetynet.core.document import parse_household_document
from safetynet.intake import services
from safetynet.intake.models import ITEMS, Application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

DAY = {
    "submitted": date(2025, 9, 1), "accepted": date(2025, 9, 1), "investigating": date(2025, 9, 2),
    "visited": date(2025, 9, 3), "reviewing": date(2025, 9, 4), "decided": date(2025, 9, 4),
    "publicity": date(2025, 9, 5), "confirmable": date(2025, 9, 12),
}


def pdf_scan(name: str = "授权书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_photo(name: str = "入户.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def new_application(cast: dict[str, Any], *, region: str = "220821101200001", categories: tuple[str, ...] = ("dibao",),
                    tag: bool = False, authorization: bool = True, on: date = DAY["submitted"]) -> Application:
    """申请 for a new low-income household (the engine proposes 低保), by township A's clerk."""
    data = household_data(region)
    return services.application_create(
        by=cast["clerk_a"] if region.startswith("220821101") else cast["clerk_b"],
        document=parse_household_document(data), applicant_id_number=data["members"][0]["id_number"],
        requested_categories=list(categories), requested_tag=tag,
        authorization=pdf_scan() if authorization else None, on=on)


def follow_engine(application: Application, **overrides: bool) -> dict[str, bool]:
    review = services.current_review(application)
    proposal = review.proposal if review else {}  # no review yet: a step tried out of order
    return {item: overrides.get(item, proposal.get(item, False)) for item in ITEMS}


STEPS: list[tuple[str, Callable[[Application, dict[str, Any]], Any]]] = [
    ("accepted", lambda a, c: services.application_accept(application=a, by=c["clerk_a"], on=DAY["accepted"])),
    ("investigating", lambda a, c: services.application_investigation_start(
        application=a, by=c["clerk_a"], staff=[c["clerk_a"], c["reviewer_a"]], on=DAY["investigating"])),
    ("visited", lambda a, c: services.application_visit_record(
        application=a, by=c["clerk_a"], visited_on=DAY["visited"], staff_names=["张伟", "刘芳"],
        observations="三口之家，土坯房，家中无大件电器", photos=[png_photo()])),
    ("reviewing", lambda a, c: services.application_investigation_complete(
        application=a, by=c["clerk_a"], on=DAY["reviewing"])),
    ("decided", lambda a, c: services.application_review_decide(
        application=a, by=c["reviewer_a"], decisions=follow_engine(a, monitoring_object=False),
        reasons={"monitoring_object": "户籍所在村未纳入农业农村部门监测，本次不申请标识"}, on=DAY["decided"])),
    ("publicity", lambda a, c: services.application_publicity_start(
        application=a, by=c["reviewer_a"], start_on=DAY["publicity"])),
]


def walk(application: Application, cast: dict[str, Any], until: str) -> Application:
    """Take the standard path's steps up to and including `until` (a key of STEPS)."""
    for name, step in STEPS:
        step(application, cast)
        if name == until:
            return application
    raise AssertionError(f"no step {until}")


@pytest.fixture
def application(cast: dict[str, Any]) -> Application:
    return new_application(cast)
