"""One household document assessed as of a date: the entry point shared by `safetynet assess`,
`POST /api/v1/assess` and the 认定依据 panel, so the three give the same JSON.

Nothing here reads the registry: an assessment is a calculation on the document it is given.
Every refusal is a `DocumentInvalid` whose errors name a field path, in Chinese.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from safetynet.core.document import DocumentInvalid, FieldError, HouseholdDocument, parse_household_document
from safetynet.policy.assess import NotAssessable, assess
from safetynet.policy.params import ParameterMissing, ParameterSet

BAD_DATE = "日期“{text}”无效：应为 YYYY-MM-DD 格式的有效日期，例如 2025-08-01"
NOT_ASSESSABLE = "无法核算：{reason}"
NO_PARAMETER = "无法核算：{reason}"
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class DateInvalid(ValueError):
    """A date given by the user that is not YYYY-MM-DD; the message is Chinese."""


def as_of_parse(text: str | None) -> date:
    """The date of an assessment: `text` as YYYY-MM-DD, or today when it is empty."""
    if text is None or not text.strip():
        return timezone.localdate()
    text = text.strip()
    try:
        if not _ISO_DATE.match(text):  # fromisoformat would also take 20250801 and week dates
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DateInvalid(BAD_DATE.format(text=text[:40])) from None


def document_assess(document: HouseholdDocument, *, on: date,
                    params: ParameterSet | None = None) -> dict[str, Any]:
    """The assessment of `document` on `on`; a household the rules cannot assess is a DocumentInvalid.

    `params` defaults to the parameter files alone. A household with no counted member (e.g.
    everyone lives elsewhere) is refused on `members`; a parameter with no value in force on `on`
    is refused on the whole request.
    """
    try:
        return assess(document, on, params=params)
    except NotAssessable as error:
        raise DocumentInvalid([FieldError(getattr(error, "path", "") or "members",
                                          NOT_ASSESSABLE.format(reason=error))]) from None
    except ParameterMissing as error:
        raise DocumentInvalid([FieldError("", NO_PARAMETER.format(reason=error))]) from None


def data_assess(data: Any, *, on: date, params: ParameterSet | None = None) -> dict[str, Any]:
    """Parse plain data (loaded JSON/YAML) as a household document and assess it."""
    return document_assess(parse_household_document(data), on=on, params=params)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def assessment_dumps(result: dict[str, Any]) -> str:
    """The assessment as the CLI prints it and the API answers it: UTF-8 text, indented."""
    return json.dumps(result, ensure_ascii=False, indent=2, default=_plain)
