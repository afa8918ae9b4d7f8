"""The fixed cast of every permission test: two townships, their staff, and county roles.

Township A is 坦途镇 (220821101) with village 坦途村 and its grid 1; township B is 东屏镇 (220821102).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from safetynet.accounts.choices import Department, Role
from safetynet.core.document import parse_household_document
from safetynet.core.idnumber import make_id_number

PASSWORD = "Test-pass-2025"


@pytest.fixture
def regions(db: Any) -> dict[str, Any]:
    from safetynet.regions.models import Region

    L = Region.Level
    county = Region.objects.create(code="220821", name="镇赉县", level=L.COUNTY)
    a = Region.objects.create(code="220821101", name="坦途镇", level=L.TOWNSHIP, parent=county)
    a1 = Region.objects.create(code="220821101200", name="坦途村", level=L.VILLAGE, parent=a)
    a1g = Region.objects.create(code="220821101200001", name="坦途村第一网格", level=L.GRID, parent=a1)
    a1g2 = Region.objects.create(code="220821101200002", name="坦途村第二网格", level=L.GRID, parent=a1)
    b = Region.objects.create(code="220821102", name="东屏镇", level=L.TOWNSHIP, parent=county)
    b1 = Region.objects.create(code="220821102200", name="东屏村", level=L.VILLAGE, parent=b)
    b1g = Region.objects.create(code="220821102200001", name="东屏村第一网格", level=L.GRID, parent=b1)
    return {"county": county, "a": a, "a1": a1, "a1g": a1g, "a1g2": a1g2, "b": b, "b1": b1, "b1g": b1g}


@pytest.fixture
def cast(regions: dict[str, Any]) -> dict[str, Any]:
    """One user per role; `_a`/`_b` users belong to township A/B."""
    from safetynet.accounts.models import User

    def user(username: str, role: str, region: Any = None, department: str = "") -> Any:
        return User.objects.create_user(username=username, password=PASSWORD, role=role, region=region,
                                        department=department, full_name=username)

    c = regions["county"]
    return {
        "county_civil": user("county_civil", Role.COUNTY_CIVIL, c),
        "county_rural": user("county_rural", Role.COUNTY_RURAL, c),
        "task_force": user("task_force", Role.TASK_FORCE, c),
        "auditor": user("auditor", Role.AUDITOR, c),
        "clerk_a": user("clerk_a", Role.TOWNSHIP_CLERK, regions["a"]),
        "reviewer_a": user("reviewer_a", Role.TOWNSHIP_REVIEWER, regions["a"]),
        "grid_a": user("grid_a", Role.GRID_WORKER, regions["a1g"]),
        "clerk_b": user("clerk_b", Role.TOWNSHIP_CLERK, regions["b"]),
        "dept_medical": user("dept_medical", Role.DEPARTMENT_CLERK, None, Department.MEDICAL_INSURANCE),
    }


_serial = iter(range(1, 10_000_000))


def id_number(birth: date, *, male: bool = True, area: str = "220821") -> str:
    """A fresh valid ID number (unique within the test session)."""
    n = next(_serial)
    return make_id_number(area, birth, n * 2 + (1 if male else 0))


def member_data(name: str, relation: str, birth: date, **extra: Any) -> dict[str, Any]:
    return {"name": name, "id_number": id_number(birth, male=extra.pop("male", True)), "relation": relation,
            **extra}


def household_data(region: str, members: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    members = members or [
        member_data("王建国", "self", date(1985, 3, 15), employment="farming",
                    income={"business": 6000}),
        member_data("李秀兰", "spouse", date(1987, 6, 2), male=False, income={"wages": 4000}),
        member_data("王小明", "child", date(2015, 9, 10), schooling="primary"),
    ]
    return {"region": region, "residence": "rural", "members": members, **extra}


@pytest.fixture
def make_household(cast: dict[str, Any]) -> Callable[..., Any]:
    """Create a household through the registry service, as county civil affairs."""
    from safetynet.registry.services import household_save

    def make(region: str = "220821101200001", **kwargs: Any) -> Any:
        data = household_data(region, **kwargs)
        return household_save(document=parse_household_document(data), by=cast["county_civil"])

    return make


@pytest.fixture
def household_a(make_household: Callable[..., Any]) -> Any:
    return make_household("220821101200001")


@pytest.fixture
def household_b(make_household: Callable[..., Any]) -> Any:
    return make_household("220821102200001")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher costs ~0.2 s per user; the cast has nine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: Any) -> None:
    # Pages render in tests without `collectstatic`: plain static URLs instead of the manifest's.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
