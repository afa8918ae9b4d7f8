"""Events other modules subscribe to without touching intake.

    from safetynet.intake.events import HouseholdConfirmed, on_household_confirmed

    @on_household_confirmed
    def push_to_departments(event: HouseholdConfirmed) -> None: ...

Register in the subscribing app's `AppConfig.ready()`. The event is dispatched once per confirmed
application, after the transaction that confirmed it commits (never for a rolled-back one). A
subscriber that raises is logged and does not stop the others: the confirmation already stands.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HouseholdConfirmed:
    """A household's categories/tag were confirmed by the county and take effect from `effective_from`."""

    application_id: int
    household_id: int
    region_code: str
    categories: tuple[str, ...]  # codes in force from effective_from (DOMAIN §1 order)
    monitoring_object: bool
    dibao_monthly: str  # yuan, as a decimal string
    tekun_monthly: str
    effective_from: date
    status_id: int  # the HouseholdStatus row written


HouseholdConfirmedCallback = Callable[[HouseholdConfirmed], None]
_subscribers: list[HouseholdConfirmedCallback] = []
_lock = threading.Lock()


def on_household_confirmed(callback: HouseholdConfirmedCallback) -> HouseholdConfirmedCallback:
    """Subscribe `callback` (usable as a decorator); subscribing twice keeps one subscription."""
    with _lock:
        if callback not in _subscribers:
            _subscribers.append(callback)
    return callback


def household_confirmed_unsubscribe(callback: HouseholdConfirmedCallback) -> None:
    with _lock:
        if callback in _subscribers:
            _subscribers.remove(callback)


def household_confirmed(event: HouseholdConfirmed) -> None:
    """Dispatch to every subscriber. Called by intake through `transaction.on_commit`, never directly."""
    with _lock:
        subscribers = list(_subscribers)
    for callback in subscribers:
        try:
            callback(event)
        except Exception:  # one failing subscriber must not hide the event from the others
            logger.exception("household_confirmed subscriber %s failed for application %s",
                             getattr(callback, "__qualname__", callback), event.application_id)
