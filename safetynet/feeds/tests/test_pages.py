"""Feed pages: upload, progress, history scoped by department, report and template downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.feeds.models import FeedImport
from safetynet.feeds.tests.conftest import csv_bytes
from safetynet.jobs.services import jobs_run_pending

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, source: str = "medical", name: str = "医保.csv"):
    return client.post(reverse("feeds:import_create"),
                       {"source": source, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_upload_shows_progress_then_the_outcome_and_the_report(client, cast, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast["dept_medical"])
    # when: a file with one bad row is uploaded
    response = _upload(client, csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "abc", ""]]))
    # then: the import page polls the job's progress until the worker has run it
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and "hx-get" in page and "/progress/" in page
    feed_import = FeedImport.objects.get()
    jobs_run_pending()
    progress = client.get(reverse("feeds:import_progress", args=[feed_import.pk]))
    assert progress["HX-Refresh"] == "true"
    page = client.get(response["Location"]).content.decode()
    assert "有错误，未导入" in page and "下载问题报告" in page and "hx-trigger" not in page
    report = client.get(reverse("feeds:import_report", args=[feed_import.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export", object_type="feed_import", object_id=str(feed_import.pk),
                                     actor=cast["dept_medical"]).exists()
    assert AuditEvent.objects.filter(action="create", object_type="feed_import", actor=cast["dept_medical"]).exists()
    listing = client.get(reverse("feeds:import_list")).content.decode()
    assert "医保.csv" in listing and feed_import.file_sha256[:12] in listing


def test_a_department_clerk_sees_only_their_departments_imports(client, cast, members, settings, tmp_path):
    from safetynet.accounts.choices import Department, Role
    from safetynet.accounts.models import User
    from safetynet.feeds.services import feed_import_start

    settings.MEDIA_ROOT = tmp_path
    other = feed_import_start(source="disability", file_name="残联.csv", data=b"x", by=cast["county_civil"])
    mine = feed_import_start(source="medical", file_name="医保.csv", data=b"x", by=cast["county_civil"])
    clerk = User.objects.create_user(username="dept_edu", role=Role.DEPARTMENT_CLERK,
                                     department=Department.EDUCATION)
    jobs_run_pending()
    client.force_login(cast["dept_medical"])
    listing = client.get(reverse("feeds:import_list")).content.decode()
    assert "医保.csv" in listing and "残联.csv" not in listing
    for name in ("feeds:import_detail", "feeds:import_progress", "feeds:import_report"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("feeds:import_rerun", args=[other.pk])).status_code == 404
    assert client.get(reverse("feeds:template", args=["disability"])).status_code == 404
    assert client.get(reverse("feeds:import_detail", args=[mine.pk])).status_code == 200
    client.force_login(clerk)
    assert client.get(reverse("feeds:import_detail", args=[mine.pk])).status_code == 404
    assert "医保.csv" not in client.get(reverse("feeds:import_list")).content.decode()
    for outsider in ("clerk_a", "grid_a", "auditor"):
        client.force_login(cast[outsider])
        assert client.get(reverse("feeds:import_list")).status_code == 403
        assert client.get(reverse("feeds:import_detail", args=[mine.pk])).status_code == 404
    client.force_login(cast["county_rural"])
    assert "残联.csv" in client.get(reverse("feeds:import_list")).content.decode()


def test_a_clerk_cannot_upload_another_departments_source(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast["dept_medical"])
    response = _upload(client, b"x", source="police")
    assert response.status_code == 422 and FeedImport.objects.count() == 0


def test_the_template_has_a_header_an_example_an_instructions_sheet_and_a_text_id_column(client, cast):
    from openpyxl import load_workbook

    client.force_login(cast["county_rural"])
    response = client.get(reverse("feeds:template", args=["medical"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data, help_sheet = book["数据"], book["填写说明"]
    assert [c.value for c in data[1]] == ["身份证号", "姓名", "数据类型", "结算日期", "个人自付金额（元）", "参保状态"]
    assert data["A2"].value == "220821198503150012" and data["A2"].number_format == "@"
    assert data["A500"].number_format == "@" or data.column_dimensions["A"].number_format == "@"
    assert "文本格式" in "".join(str(c.value) for row in help_sheet.iter_rows() for c in row if c.value)


def test_the_command_line_import_uses_the_same_service(cast, members, settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "医保.csv"
    path.write_bytes(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "10", ""]]))
    out = io.StringIO()
    call_command("feed_import", "medical", str(path), "--as", "dept_medical", stdout=out)
    assert "新增1" in out.getvalue()
    call_command("feed_import", "medical", str(path), "--as", "dept_medical", stdout=out)
    assert "重复1" in out.getvalue()
    assert FeedImport.objects.filter(uploaded_by=cast["dept_medical"]).count() == 2
    path.write_bytes(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "x", ""]]))
    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("feed_import", "medical", str(path), "--as", "dept_medical", stdout=out)
    with pytest.raises(CommandError):
        call_command("feed_import", "police", str(path), "--as", "dept_medical", stdout=out)
