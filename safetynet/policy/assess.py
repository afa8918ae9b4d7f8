"""assess(): one household through the very code path that screens a whole roster (a batch of one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from safetynet.core.document import HouseholdDocument, parse_household_document
from safetynet.policy.engine import assess_frame
from safetynet.policy.params import ParameterSet
from safetynet.policy.roster import roster_from_documents


class NotAssessable(ValueError):
    """The household cannot be assessed (no counted member); str() is Chinese, `path` the field."""

    def __init__(self, message: str, *, path: str = "members") -> None:
        super().__init__(message)
        self.path = path


def assess(document: HouseholdDocument | Mapping[str, Any], on: dt.date | str | None = None,
           params: ParameterSet | None = None) -> dict[str, Any]:
    """Assess one household document (or its parsed JSON/YAML mapping) as of `on` (default: today).

    A mapping is validated first (core.document.DocumentInvalid names each bad field). Returns the
    JSON-ready assessment: categories, tags, 特困 members, risks, figures, benefits, every rule's
    verdict with its parameters, and the explanation in Chinese.
    """
    if not isinstance(document, HouseholdDocument):
        document = parse_household_document(document)
    on = dt.date.fromisoformat(on) if isinstance(on, str) else (on or dt.date.today())
    assessed = assess_frame(roster_from_documents([document]), on, params)
    if assessed.households.item(0, "status") != "ok":
        raise NotAssessable(assessed.households.item(0, "error"))
    return assessed.explain(0)
