"""The leak test: no URL that takes an object shows it to someone outside the object's region.

Every URL pattern of the project is enumerated from the resolver, so a new URL is covered the day
it is added. A pattern whose argument name is not known here fails the test: teach `_object_args`
how to find an object of township B for it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else str(entry.name), entry


# Routes whose argument names public policy, not personal data: what they show is the same for everyone.
# Their refusals (adding a value) are tested in the parameters app.
PUBLIC_ROUTES = {"parameters:parameter_detail", "parameters:parameter_value_add"}

# Apps teach this test their own URL arguments in `<app>/tests/leak_objects.py`:
#   PROVIDES = {"alert_pk", ...}            argument names it can fill
#   def leak_args(household) -> dict        values naming objects of `household` (of township B here)
#   NOT_REGIONAL = {"app:route", ...}       (optional) routes whose objects belong to no region, with their
#                                           own access tests in the app (e.g. a department's file import)
LEAK_PROVIDERS = ["safetynet.feeds", "safetynet.jobs", "safetynet.monitoring", "safetynet.gridwork",
                  "safetynet.reviews"]


def _providers() -> list[Any]:
    found = []
    for app in LEAK_PROVIDERS:
        try:
            found.append(importlib.import_module(f"{app}.tests.leak_objects"))
        except ModuleNotFoundError as missing:
            if missing.name != f"{app}.tests.leak_objects":
                raise
    return found


def _not_regional() -> set[str]:
    return PUBLIC_ROUTES | {name for p in _providers() for name in getattr(p, "NOT_REGIONAL", set())}


def _url_for(name: str, arguments: dict[str, Any]) -> str:
    return reverse(name, kwargs=arguments)


def _object_args(pattern_name: str, kwargs: list[str], household: Any) -> dict[str, Any]:
    member = household.memberships.first().member
    values = {"pk": household.pk, "id": household.pk, "household_id": household.pk, "member_pk": member.pk,
              "household_pk": household.pk, "code": household.region_id[:12]}
    if {"application_pk", "photo_pk", "visit_pk"} & set(kwargs):
        values.update(_application_args(household))
    for provider in _providers():
        if provider.PROVIDES & set(kwargs):
            values.update(provider.leak_args(household))
    unknown = [k for k in kwargs if k not in values]
    assert not unknown, (f"URL {pattern_name} takes {unknown}: add to the leak test how to find an object of "
                         f"another region for it")
    return {k: values[k] for k in kwargs}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the application built for intake's URLs has uploads


def _application_args(household: Any) -> dict[str, Any]:
    """An application of `household` (made by its township's clerk) with a home visit and a photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safetynet.accounts.models import User
    from safetynet.intake import services
    from safetynet.intake.models import Application

    application = Application.objects.filter(household=household).first()
    if application is None:
        clerk = User.objects.get(role="township_clerk", region_id=household.region_id[:9])
        application = services.application_create(
            by=clerk, household=household, requested_categories=["dibao"],
            applicant_id_number=household.memberships.get(relation="self").member.id_number)
        services.application_correction_request(application=application, by=clerk, items=["核对授权书"])
        services.application_resubmit(application=application, by=clerk, authorization=SimpleUploadedFile(
            "a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
        services.application_accept(application=application, by=clerk)
        colleague = User.objects.filter(region_id__in=[household.region_id[:9], household.region_id[:6]],
                                        is_active=True).exclude(pk=clerk.pk).first()
        services.application_investigation_start(application=application, by=clerk, staff=[clerk, colleague])
        services.application_visit_record(
            application=application, by=clerk, visited_on=application.accepted_on, staff_names=["甲", "乙"],
            observations="入户", photos=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                                          content_type="image/png")])
    visit = application.visits.first()
    return {"application_pk": application.pk, "visit_pk": visit.pk, "photo_pk": visit.photos.first().pk}


def _kwarg_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def all_object_routes() -> list[tuple[str, str]]:
    routes = []
    for route, name, _entry in _patterns(get_resolver()):
        names = _kwarg_names(route)
        if names and name not in _not_regional():
            routes.append((name, route))
    return routes


def test_the_enumeration_finds_the_household_urls() -> None:
    names = {name for name, _route in all_object_routes()}
    assert {"registry:household_detail", "registry:member_reveal", "registry:household_edit",
            "api:household_document"} <= names


OUTSIDERS = ["clerk_a", "reviewer_a", "grid_a", "dept_medical"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_no_object_url_leaks_a_household_of_another_region(client: Any, cast: dict[str, Any], household_a: Any,
                                                           household_b: Any, make_household: Any,
                                                           outsider: str) -> None:
    # given: a household outside the user's region (for the grid worker: the neighbouring grid of the same village)
    user = cast[outsider]
    target = make_household("220821101200002") if outsider == "grid_a" else household_b
    if outsider == "dept_medical":
        target = household_a  # not pushed to the department
    client.force_login(user)
    leaks = []
    for name, route in all_object_routes():
        url = _url_for(name, _object_args(name, _kwarg_names(route), target))
        for method in ("get", "post"):
            # when
            response = getattr(client, method)(url)
            # then: the same answer as for an object that does not exist, or a plain refusal
            if response.status_code not in (403, 404, 405):
                leaks.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not leaks, "\n".join(leaks)
    target.refresh_from_db()
    assert target.version == 1, "an outsider's request changed the household"


def test_the_owner_is_not_refused(client: Any, cast: dict[str, Any], household_a: Any) -> None:
    """Guards the leak test itself: the same URLs do answer for someone who may see the household."""
    client.force_login(cast["clerk_a"])
    response = client.get(_url_for("registry:household_detail", {"pk": household_a.pk}))
    assert response.status_code == 200
