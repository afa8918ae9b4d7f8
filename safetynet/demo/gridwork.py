"""The demo county's grids at work: a grid worker account for every grid (二网合一: each grid has one), and
the visits they made before the platform — so visit plans show what falls due, alerts have owners, and only a
few visits are late. The demo grid (DEMO_GRID, worker tantu_wangge1) is left as never visited: her phone shows
the platform's first task list."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from safetynet.accounts.choices import Role
from safetynet.accounts.models import User
from safetynet.demo.generator import DEMO_GRID
from safetynet.demo.names import given_name, surname
from safetynet.gridwork.models import Check, GridVisit
from safetynet.gridwork.selectors import plan_for
from safetynet.regions.models import Region

CHECKS = ("food_clothing", "education", "medical", "housing", "water", "labour")
NOTE = "入户走访，两不愁三保障和饮水安全均有保障（演示数据）"


def grid_worker_username(grid_code: str) -> str:
    return f"wangge_{grid_code}"


def demo_grid_workers_ensure(*, password: str, seed: int) -> int:
    """A grid worker for every grid that has none, sharing the demo password (hashed once)."""
    rng = random.Random(seed)
    grids = list(Region.objects.filter(level=Region.Level.GRID).exclude(code=DEMO_GRID).order_by("code")
                 .values_list("code", flat=True))
    staffed = set(User.objects.filter(role=Role.GRID_WORKER).values_list("region_id", flat=True))
    hashed = make_password(password)
    workers = []
    for code in grids:
        sex = rng.choice("FM")
        name = surname(rng) + given_name(rng, sex, 1975 + rng.randint(0, 25))
        if code not in staffed:
            workers.append(User(username=grid_worker_username(code), full_name=name, role=Role.GRID_WORKER,
                                region_id=code, password=hashed))
    User.objects.bulk_create(workers, batch_size=500)
    return len(workers)


def demo_visits_write(*, on: date, by_county: User, seed: int) -> int:
    """Each planned household's last visit, a random point of its interval ago (a little more for one in
    eight: late), by its grid's worker."""
    rng = random.Random(seed)
    workers = {u.region_id: u for u in User.objects.filter(role=Role.GRID_WORKER)}
    visits = []
    for row in plan_for(by_county, today=on):
        grid = row.household.region_id
        worker = workers.get(grid)
        if grid == DEMO_GRID or worker is None:
            continue
        span = row.due.interval_months * 30
        days_ago = rng.randint(1, span - 1) if rng.random() > 1 / 8 else span + rng.randint(3, 20)
        visits.append(GridVisit(household=row.household, region_id=grid, visited_on=on - timedelta(days=days_ago),
                                by=worker, notes=NOTE, **{c: Check.SECURE for c in CHECKS}))
    GridVisit.objects.bulk_create(visits, batch_size=2000)
    return len(visits)
