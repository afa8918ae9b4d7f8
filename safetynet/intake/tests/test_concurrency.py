"""Two people acting on the same application at once: one wins, the other is told plainly (no lost update)."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.intake import errors, services
from safetynet.intake.models import Application, CorrectionNotice, ReviewDecision
from safetynet.intake.tests.conftest import DAY, follow_engine, walk


def test_accept_and_correction_at_once_one_wins(cast: dict[str, Any], application: Application) -> None:
    # given: two clerks opened the same application (version 1)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    # when: the first accepts, then the second, on its stale page, asks for 补正
    services.application_accept(application=first, by=cast["clerk_a"], on=DAY["accepted"])
    with pytest.raises(errors.StaleApplication) as stale:
        services.application_correction_request(application=second, by=cast["clerk_a"], items=["户口簿"],
                                                on=DAY["accepted"])
    # then
    assert str(stale.value) == errors.ALREADY_HANDLED.format(expected=1)
    assert "已被他人处理" in str(stale.value)
    application.refresh_from_db()
    assert (application.state, application.version) == (Application.State.ACCEPTED, 2)
    assert not CorrectionNotice.objects.filter(application=application).exists()
    assert application.events.filter(action="correction_request").count() == 0


def test_two_reviewers_deciding_at_once_leave_one_decision(cast: dict[str, Any], application: Application) -> None:
    # given
    walk(application, cast, "reviewing")
    mine, theirs = (Application.objects.get(pk=application.pk) for _ in range(2))
    # when
    services.application_review_decide(application=mine, by=cast["reviewer_a"],
                                       decisions=follow_engine(mine), on=DAY["decided"])
    with pytest.raises(errors.StaleApplication):
        services.application_review_decide(application=theirs, by=cast["reviewer_a"],
                                           decisions=follow_engine(theirs, dibao=False),
                                           reasons={"dibao": "另有收入"}, on=DAY["decided"])
    # then: only the first decision stands
    decided = dict(ReviewDecision.objects.filter(review__application=application).values_list("item", "decided"))
    assert decided["dibao"] is True and len(decided) == 5


def test_a_page_loaded_before_the_last_step_is_refused_even_for_an_allowed_step(
        cast: dict[str, Any], application: Application) -> None:
    # given: the page showed version 1; the application moved on (accepted, version 2)
    services.application_accept(application=application, by=cast["clerk_a"], on=DAY["accepted"])
    application.version = 1  # what a view does with the version posted from the page
    # when / then
    with pytest.raises(errors.StaleApplication):
        services.application_extend(application=application, by=cast["reviewer_a"], reason="外省比对",
                                    on=DAY["accepted"])
