"""Resident ID numbers (公民身份号码, GB 11643-1999): check digit, birth date, sex, masking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


class InvalidIdNumber(ValueError):
    """The message is Chinese and says how to fix the number."""


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: date
    sex: str  # "M" or "F"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an 18-character ID number and derive birth date and sex.

    A lower-case x is accepted and normalised. Old 15-digit numbers are refused: they must be
    converted at the public-security office's figure, not guessed.
    """
    number = raw.strip().upper()
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber("这是15位旧身份证号，请填写18位公民身份号码")
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号应为18位，当前为{len(number)}位")
    if not _SHAPE.match(number):
        raise InvalidIdNumber("身份证号前17位应为数字，最后一位为数字或X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"身份证号中的出生日期{number[6:14]}不是有效日期") from None
    if born > (today or date.today()):
        raise InvalidIdNumber(f"身份证号中的出生日期{born.isoformat()}晚于今天，请核对")
    if born.year < 1890:
        raise InvalidIdNumber(f"身份证号中的出生年份{born.year}不合理，请核对")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber("身份证号校验位不正确，请核对证件后重新填写")
    return IdNumberInfo(number=number, birth_date=born, sex="M" if int(number[16]) % 2 else "F")


def is_valid_id_number(raw: str) -> bool:
    try:
        parse_id_number(raw)
    except InvalidIdNumber:
        return False
    return True


def mask_id_number(number: str) -> str:
    """First 6 and last 4 characters (DOMAIN.md §6): 220821********2034."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """Surname and one `*` (DOMAIN §6), for public notices (公示) and wherever a name is masked.

    One star whatever the length: 王* for 王五 and 王建国 alike, so the mask does not tell the name's length.
    """
    if not name:
        return ""
    return name[0] + "*"


def make_id_number(area: str, birth: date, serial: int) -> str:
    """Compose a valid number from area code, birth date and 3-digit serial (odd serial: male).

    For synthetic data (demo county, tests); real numbers come from documents.
    """
    first17 = f"{area[:6]}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)
