"""Importing a feed: all-or-nothing, idempotent, a row-level report naming row, column and fix."""

from __future__ import annotations

import pytest

from safetynet.feeds.models import FeedImport, FeedRecord
from safetynet.feeds.tests.conftest import MEDICAL, csv_bytes, report_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_correct_file_becomes_one_fact_per_row(members, run_import):
    # given
    data = csv_bytes([[members[0], "王建国", "医疗自付", "2025-03-31", "12345.6", ""],
                      [members[1], "", "参保状态", "2025/04/01", "", "未参保"]])
    # when
    feed_import = run_import(data)
    # then
    assert feed_import.status == FeedImport.Status.DONE, feed_import.error
    assert (feed_import.rows_total, feed_import.rows_added, feed_import.rows_duplicate) == (2, 2, 0)
    facts = {f.kind: f for f in FeedRecord.objects.all()}
    assert facts["self_paid"].values == {"amount": "12345.60"} and facts["self_paid"].member.id_number == members[0]
    assert facts["medical_enrolment"].values == {"insured": False}
    assert str(facts["medical_enrolment"].occurred_on) == "2025-04-01" and feed_import.encoding == "UTF-8"
    assert feed_import.job.status == "done" and feed_import.report_file == ""
