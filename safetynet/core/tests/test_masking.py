"""Masks for notices and pages: a name shows its surname only, an ID number its first 6 and last 4."""

from __future__ import annotations

import pytest

from safetynet.core.idnumber import mask_id_number, mask_name


@pytest.mark.parametrize(("name", "masked"), [("王五", "王*"), ("王建国", "王*"), ("欧阳明月", "欧*"), ("", "")])
def test_a_masked_name_is_the_surname_and_one_star_whatever_its_length(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_masked_id_number_keeps_the_first_six_and_last_four() -> None:
    assert mask_id_number("220821198503150012") == "220821********0012"
