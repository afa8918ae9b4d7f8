"""Shared data of the document import/export tests: the reference cases and the bad documents.

`data/cases/*.yaml` are the `household` parts of the policy reference cases, copied into the project
so the tests never read outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from conftest import household_data
from safetynet.core.document import document_to_dict, parse_household_document
from safetynet.core.idnumber import make_id_number

CASES_DIR = Path(__file__).parent / "data" / "cases"
CASE_FILES = sorted(CASES_DIR.glob("case-*.yaml"))


def load_case(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def make_case_regions() -> None:
    """The villages the reference cases live in (not part of the test cast), under the cast's county."""
    from safetynet.regions.models import Region

    level = Region.Level
    for township, village in (("220821103", "220821103201"), ("220821001", "220821001002")):
        parent = Region.objects.create(code=township, name=f"镇{township[-3:]}", level=level.TOWNSHIP,
                                       parent_id="220821")
        Region.objects.create(code=village, name=f"村{village[-3:]}", level=level.VILLAGE, parent=parent)


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """The document with every default filled in, without the registry's `code` and `address`."""
    plain = document_to_dict(parse_household_document(data))
    plain.pop("code", None)
    plain.pop("address", None)
    return plain


def _unknown_field(data: dict[str, Any]) -> None:
    data["members"][0]["nickname"] = "小王"


def _string_amount(data: dict[str, Any]) -> None:
    data["members"][0]["income"] = {"wages": "6000"}


def _wrong_check_digit(data: dict[str, Any]) -> None:
    number = data["members"][1]["id_number"]
    data["members"][1]["id_number"] = number[:17] + ("0" if number[17] != "0" else "1")


def _duplicate_id(data: dict[str, Any]) -> None:
    data["members"][2]["id_number"] = data["members"][0]["id_number"]


def _negative_amount(data: dict[str, Any]) -> None:
    data["assets"] = {"deposits": -100}


def _future_birth(data: dict[str, Any]) -> None:
    data["members"][2]["id_number"] = make_id_number("220821", date.today() + timedelta(days=400), 5)


def _active_elsewhere(data: dict[str, Any], taken: str) -> None:
    data["members"][0]["id_number"] = taken


# name: (how to spoil a valid document, the path named, a fragment of the message)
BAD_DOCUMENTS: dict[str, tuple[Callable[..., None], str, str]] = {
    "unknown_field": (_unknown_field, "members[0].nickname", "未知字段"),
    "string_amount": (_string_amount, "members[0].income.wages", "不能是文本"),
    "wrong_check_digit": (_wrong_check_digit, "members[1].id_number", "校验位不正确"),
    "duplicate_id_in_document": (_duplicate_id, "members[2].id_number", "身份证号重复"),
    "id_active_elsewhere": (_active_elsewhere, "members[0].id_number", "此人已在户2208211012000001中"),
    "negative_amount": (_negative_amount, "assets.deposits", "金额不能为负数"),
    "future_birth_date": (_future_birth, "members[2].id_number", "晚于今天"),
}


def bad_document(kind: str, *, taken_id_number: str, region: str = "220821101200002") -> dict[str, Any]:
    """A valid three-person household in the cast's village A, spoiled in one way."""
    spoil = BAD_DOCUMENTS[kind][0]
    data = household_data(region)
    if kind == "id_active_elsewhere":
        spoil(data, taken_id_number)
    else:
        spoil(data)
    return data
