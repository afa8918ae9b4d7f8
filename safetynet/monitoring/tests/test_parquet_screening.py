"""A roster in Parquet (provincial data, the benchmark) is screened chunk by chunk, results beside it."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from polars.testing import assert_frame_equal

from bench.roster import AS_OF, generate, write
from safetynet.monitoring.models import ScreeningResult, ScreeningRun
from safetynet.monitoring.screening import household_results
from safetynet.monitoring.selectors import screening_compare
from safetynet.policy.engine import assess_frame
from safetynet.policy.roster import Roster

HOUSEHOLDS = 3_000


@pytest.fixture
def roster_dir(tmp_path: Path) -> Path:
    return write(generate(HOUSEHOLDS, seed=7), tmp_path / "roster")


def _screen(roster_dir: Path, *extra: str) -> str:
    out = StringIO()
    call_command("screen", "--on", AS_OF.isoformat(), "--roster", str(roster_dir), *extra, stdout=out,
                 stderr=StringIO())
    return out.getvalue()


def _whole_roster_results(roster_dir: Path) -> pl.DataFrame:
    roster = Roster(*(pl.read_parquet(roster_dir / f"{t}.parquet") for t in
                      ("households", "members", "obligor_supports")))
    return household_results(assess_frame(roster, AS_OF))


def test_parquet_roster_screened_in_chunks_gives_the_whole_roster_results(db, roster_dir):
    # when: four chunks of 800 household keys
    text = _screen(roster_dir, "--chunk", "800")
    # then: results in a new folder beside the roster, equal to assessing the roster at once
    run = ScreeningRun.objects.get()
    results_dir = Path(run.results_path)
    assert results_dir.parent == roster_dir.resolve() and len(list(results_dir.glob("part-*.parquet"))) == 4
    written = pl.read_parquet(results_dir / "part-*.parquet").sort("hh_key")
    assert_frame_equal(written, _whole_roster_results(roster_dir), check_exact=True)
    assert run.source == str(roster_dir.resolve()) and run.household_count == HOUSEHOLDS
    assert not ScreeningResult.objects.exists()  # a Parquet roster's results stay out of the database
    assert f"共 {HOUSEHOLDS} 户" in text and f"结果文件：{results_dir}" in text


def test_parquet_runs_are_kept_apart_and_comparable(db, roster_dir):
    # given
    _screen(roster_dir)
    _screen(roster_dir)
    first, second = ScreeningRun.objects.order_by("pk")
    # when
    changes = screening_compare(first, second)
    # then: two result folders, and nothing changed between them
    assert first.results_path != second.results_path and changes == []


def test_parquet_roster_without_store_writes_nothing(db, roster_dir):
    # when
    text = _screen(roster_dir, "--no-store")
    # then
    assert "筛查（未保存）完成" in text
    assert not list(roster_dir.glob("screening-*")) and not ScreeningRun.objects.exists()


def test_incomplete_roster_folder_is_refused_naming_the_missing_file(db, roster_dir):
    # given
    (roster_dir / "obligor_supports.parquet").unlink()
    # when / then
    with pytest.raises(CommandError, match="缺少文件：obligor_supports.parquet"):
        _screen(roster_dir)


def test_compare_says_so_when_a_runs_result_files_are_gone(db, roster_dir):
    # given
    _screen(roster_dir)
    _screen(roster_dir)
    first, second = ScreeningRun.objects.order_by("pk")
    shutil.rmtree(first.results_path)
    # when / then
    with pytest.raises(CommandError, match=f"第 {first.pk} 次筛查的结果文件已不在"):
        call_command("screen", "--compare", str(first.pk), str(second.pk), stdout=StringIO())
