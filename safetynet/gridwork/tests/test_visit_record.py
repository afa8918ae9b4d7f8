"""Recording a visit: the checklist (every item answered, every risk described), photos, dates, regions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.audit.models import AuditEvent
from safetynet.gridwork import services
from safetynet.gridwork.models import GridVisit, GridVisitPhoto
from safetynet.gridwork.tests.conftest import PDF, all_secure, photo
from safetynet.intake.uploads import UploadInvalid

ON = date(2025, 9, 3)


def record(household, by, **kwargs):
    kwargs.setdefault("checks", all_secure())
    return services.grid_visit_record(household=household, by=by, visited_on=ON, **kwargs)


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_visit_with_checklist_notes_and_photos(cast, household_a, settings):
    # when
    visit = record(household_a, cast["grid_a"], checks=all_secure(housing="西屋墙体开裂，雨季漏雨"),
                   notes="户主在家", photos=[photo("IMG_0001.jpg"), photo("IMG_0002.JPEG")])
    # then
    visit.refresh_from_db()
    assert (visit.housing, visit.housing_note, visit.water) == ("risk", "西屋墙体开裂，雨季漏雨", "secure")
    assert visit.risks == ["住房安全"] and visit.region_id == "220821101200001" and visit.by == cast["grid_a"]
    names = [p.file.name for p in visit.photos.all()]
    assert len(names) == 2 and all(n.startswith("gridwork/photos/") and n.endswith(".jpg") for n in names)
    assert len(_files(settings)) == 2
    event = AuditEvent.objects.get(object_type="grid_visit", object_id=str(visit.pk))
    assert event.action == "create" and event.detail["risks"] == ["housing"] and event.detail["photos"] == 2


@pytest.mark.parametrize(("checks", "field", "message"), [
    ({**all_secure(), "education": ("", "")}, "education", "“义务教育”：请选择“有保障”或“有风险”"),
    ({k: v for k, v in all_secure().items() if k != "labour"}, "labour", "“劳动就业”：请选择“有保障”或“有风险”"),
    ({**all_secure(), "water": ("maybe", "")}, "water", "“饮水安全”：请选择“有保障”或“有风险”"),
    (all_secure(medical="  "), "medical_note", "“基本医疗”选了“有风险”：请在“基本医疗说明”中写明看到的情况"),
])
def test_checklist_errors_name_the_item(cast, household_a, settings, checks, field, message):
    with pytest.raises(services.VisitInvalid) as refused:
        record(household_a, cast["grid_a"], checks=checks, photos=[photo()])
    assert str(refused.value) == message and refused.value.field == field
    assert GridVisit.objects.count() == 0 and _files(settings) == []


def test_a_pdf_is_not_a_photo_and_a_bad_file_is_refused_by_name(cast, household_a, settings):
    with pytest.raises(services.VisitInvalid, match="走访照片只能是 JPEG 或 PNG 图片；“扫描.pdf”是 PDF 文件"):
        record(household_a, cast["grid_a"], photos=[photo(), SimpleUploadedFile("扫描.pdf", PDF)])
    with pytest.raises(UploadInvalid, match="“readme.txt”"):
        record(household_a, cast["grid_a"], photos=[SimpleUploadedFile("readme.txt", b"hello")])
    assert GridVisit.objects.count() == 0 and GridVisitPhoto.objects.count() == 0 and _files(settings) == []


def test_a_failure_after_the_photos_were_written_leaves_no_file(cast, household_a, settings, monkeypatch):
    # given: the audit write fails after the photos are on disk
    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", fail)
    with pytest.raises(RuntimeError):
        record(household_a, cast["grid_a"], photos=[photo()])
    assert GridVisit.objects.count() == 0 and _files(settings) == []


def test_a_visit_in_the_future_is_refused(cast, household_a):
    with pytest.raises(services.VisitInvalid, match="晚于今天") as refused:
        services.grid_visit_record(household=household_a, by=cast["grid_a"], checks=all_secure(),
                                   visited_on=date(2999, 1, 1))
    assert refused.value.field == "visited_on"


def test_only_visitors_of_the_households_region_may_record(cast, household_a, household_b, make_household):
    neighbour = make_household("220821101200002")
    with pytest.raises(services.VisitNotAllowed, match="不在您负责的网格"):
        record(neighbour, cast["grid_a"])
    with pytest.raises(services.VisitNotAllowed, match="不在您负责的网格"):
        record(household_b, cast["clerk_a"])
    with pytest.raises(services.VisitNotAllowed, match="您的角色不能登记网格走访"):
        record(household_a, cast["reviewer_a"])
    assert record(neighbour, cast["clerk_a"]).region_id == "220821101200002"  # the township covers both grids
