"""Small household documents for engine tests: valid by default, changed field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safetynet.core.idnumber import make_id_number

ON = dt.date(2025, 8, 1)
VILLAGE = "220821103201"


def member(name: str, relation: str, born: dt.date, serial: int, **fields: Any) -> dict[str, Any]:
    """A member of a test household; income fields go in `income`."""
    income = {k: fields.pop(k) for k in ("wages", "business", "property", "transfer") if k in fields}
    return {"name": name, "id_number": make_id_number("220821", born, serial), "relation": relation,
            "income": income, **fields}


def household(*members: dict[str, Any], residence: str = "rural", **fields: Any) -> dict[str, Any]:
    return {"region": VILLAGE, "residence": residence, "members": list(members), **fields}
