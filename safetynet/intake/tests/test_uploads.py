"""The signed authorization scan and visit photos: PDF, JPEG or PNG only, within the size limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import household_data
from safetynet.core.document import parse_household_document
from safetynet.intake import services, uploads
from safetynet.intake.models import Application, HomeVisit
from safetynet.intake.tests.conftest import DAY, PDF, pdf_scan, walk
from safetynet.registry.models import Household
from safetynet.registry.services import StaleHousehold, household_save


def _create(cast: dict[str, Any], scan: SimpleUploadedFile) -> Application:
    data = household_data("220821101200001")
    return services.application_create(by=cast["clerk_a"], document=parse_household_document(data),
                                       applicant_id_number=data["members"][0]["id_number"],
                                       requested_categories=["dibao"], authorization=scan, on=DAY["submitted"])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("授权书.docx", b"PK\x03\x04" + b"\x00" * 40,
     "核对授权书只能上传 PDF、JPEG 或 PNG 文件；“授权书.docx”不是这三种格式，请扫描或拍照后另存为 PDF、JPG 或 PNG 再上传"),
    ("授权书.pdf", b"<html>not a pdf</html>",  # a PDF by name only
     "核对授权书只能上传 PDF、JPEG 或 PNG 文件；“授权书.pdf”不是这三种格式，请扫描或拍照后另存为 PDF、JPG 或 PNG 再上传"),
    ("授权书.pdf", PDF + b"\x00" * uploads.MAX_UPLOAD_BYTES,
     (f"核对授权书“授权书.pdf”有 {(len(PDF) + uploads.MAX_UPLOAD_BYTES) / 1024 / 1024:.1f} MB，超过 10 MB 的上限；"
      "请降低扫描分辨率或压缩后再上传")),
    ("授权书.pdf", b"", "核对授权书“授权书.pdf”是空文件，请重新选择"),
])
def test_a_bad_authorization_file_is_refused_and_nothing_is_saved(cast: dict[str, Any], name: str,
                                                                  content: bytes, message: str) -> None:
    # when
    with pytest.raises(uploads.UploadInvalid) as refused:
        _create(cast, SimpleUploadedFile(name, content))
    # then
    assert str(refused.value) == message
    assert not Application.objects.exists() and not Household.objects.exists()


@pytest.mark.parametrize(("name", "content", "stored"), [
    ("scan.PDF", PDF, ".pdf"), ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, ".jpg"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, ".png"),
])
def test_pdf_jpeg_and_png_are_kept_under_a_random_name(cast: dict[str, Any], name: str, content: bytes,
                                                       stored: str) -> None:
    application = _create(cast, SimpleUploadedFile(name, content))
    assert application.authorization.name.endswith(stored)
    assert application.authorization_name == name
    assert application.authorization.read() == content


def test_a_visit_photo_that_is_not_an_image_is_refused(cast: dict[str, Any], application: Application) -> None:
    walk(application, cast, "investigating")
    with pytest.raises(uploads.UploadInvalid) as refused:
        services.application_visit_record(application=application, by=cast["clerk_a"], visited_on=DAY["visited"],
                                          staff_names=["张伟", "刘芳"], observations="见",
                                          photos=[SimpleUploadedFile("家.gif", b"GIF89a" + b"\x00" * 10)])
    assert str(refused.value).startswith("入户照片只能上传 PDF、JPEG 或 PNG 文件；“家.gif”")
    assert not HomeVisit.objects.exists()


def test_a_step_refused_after_its_scan_was_written_leaves_no_file(cast: dict[str, Any], settings: Any) -> None:
    # given: an application waiting for 补正, and someone else has since changed the household
    data = household_data("220821101200001")
    application = services.application_create(
        by=cast["clerk_a"], document=parse_household_document(data), on=DAY["submitted"],
        applicant_id_number=data["members"][0]["id_number"], requested_categories=["dibao"])
    services.application_correction_request(application=application, by=cast["clerk_a"], items=["核对授权书"],
                                            on=DAY["submitted"])
    stale = application.household.version
    data["members"][0]["income"]["wages"] = 100
    household_save(document=parse_household_document(data), household=application.household, by=cast["clerk_a"],
                   expected_version=stale)
    # when: the clerk resubmits with the scan and a household document from the stale page
    with pytest.raises(StaleHousehold):
        services.application_resubmit(application=application, by=cast["clerk_a"], authorization=pdf_scan(),
                                      document=parse_household_document(data), expected_version=stale,
                                      on=DAY["accepted"])
    # then: the scan written before the refusal is gone, and the application still has none
    folder = Path(settings.MEDIA_ROOT) / "intake" / "authorizations"
    assert not folder.exists() or list(folder.iterdir()) == []
    application.refresh_from_db()
    assert not application.authorization and application.state == Application.State.CORRECTION_REQUESTED
