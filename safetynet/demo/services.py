"""Writing the demo county: regions, synthetic households in bulk, and one demo user per role.

Built once: a marker in the audit trail says the county is there, and a second run only reports it.
It refuses to run on a database that already holds households it did not make, so demo people can
never mix with real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from safetynet.accounts.choices import Department, Role
from safetynet.accounts.models import User
from safetynet.audit.models import AuditEvent
from safetynet.audit.services import audit_record
from safetynet.core.pinyin import name_pinyin
from safetynet.demo.generator import DEMO_GRID, generate_county, places_from_regions
from safetynet.demo.gridwork import demo_grid_workers_ensure, demo_visits_write
from safetynet.demo.reviews import demo_reviews_write
from safetynet.demo.rows import HouseholdRow, PersonRow
from safetynet.intake.models import CATEGORIES, HouseholdStatus
from safetynet.monitoring.models import ScreeningResult
from safetynet.monitoring.facts import months_before
from safetynet.monitoring.services import screening_run
from safetynet.regions.models import Region
from safetynet.regions.services import regions_load
from safetynet.registry.models import Household, HouseholdChange, Member, Membership, Obligor, Vehicle

MARKER = "demo_county"
NEVER_APPLIED = 20  # one household in 20 the county has not (yet) found
HISTORY_MONTHS = 6  # the earlier screening run of the county's history (review.elimination.months_above_line)
DEMO_PASSWORD = "Demo-2025"
COUNTY = "220821"
REAL_DATA_PRESENT = "数据库中已有{count}户非演示的家庭档案：为免演示数据混入真实档案，未生成演示县"
# (username, full name, role, region code or department)
DEMO_USERS = [
    ("minzheng", "张丽华", Role.COUNTY_CIVIL, COUNTY),
    ("nongye", "刘志强", Role.COUNTY_RURAL, COUNTY),
    ("zhuanban", "王海燕", Role.TASK_FORCE, COUNTY),
    ("jijian", "赵国庆", Role.AUDITOR, COUNTY),
    ("tantu_jingban", "李春梅", Role.TOWNSHIP_CLERK, "220821101"),
    ("tantu_shenhe", "孙建军", Role.TOWNSHIP_REVIEWER, "220821101"),
    ("tantu_wangge1", "高秀娟", Role.GRID_WORKER, DEMO_GRID),
    ("dongping_jingban", "于晓红", Role.TOWNSHIP_CLERK, "220821102"),
    ("dongping_shenhe", "姜立新", Role.TOWNSHIP_REVIEWER, "220821102"),
    ("renshe", "陈志远", Role.DEPARTMENT_CLERK, Department.HRSS),
    ("weijian", "周丽娟", Role.DEPARTMENT_CLERK, Department.HEALTH),
    ("yibao", "吴海涛", Role.DEPARTMENT_CLERK, Department.MEDICAL_INSURANCE),
    ("jiaoyu", "郭美玲", Role.DEPARTMENT_CLERK, Department.EDUCATION),
    ("zhujian", "徐文斌", Role.DEPARTMENT_CLERK, Department.HOUSING),
    ("shuili", "马春雷", Role.DEPARTMENT_CLERK, Department.WATER),
    ("canlian", "朱秀丽", Role.DEPARTMENT_CLERK, Department.DISABLED),
    ("fulian", "韩丽萍", Role.DEPARTMENT_CLERK, Department.WOMEN),
    ("yingji", "宋向东", Role.DEPARTMENT_CLERK, Department.EMERGENCY),
    ("gongan", "鲁建华", Role.DEPARTMENT_CLERK, Department.POLICE),
    ("shichang", "邵雅琴", Role.DEPARTMENT_CLERK, Department.MARKET),
]


class DemoRefused(Exception):
    pass


@dataclass(frozen=True)
class DemoResult:
    built: bool
    households: int
    people: int


def demo_county_present() -> bool:
    return AuditEvent.objects.filter(object_type=MARKER).exists()


@transaction.atomic
def demo_county_build(*, households: int, seed: int, as_of: date) -> DemoResult:
    """Load the regions, then (once) the synthetic county and its users, all in one transaction."""
    regions_load()
    if demo_county_present():
        demo_users_ensure()
        return DemoResult(built=False, households=Household.objects.count(), people=Member.objects.count())
    if real := Household.objects.count():
        raise DemoRefused(REAL_DATA_PRESENT.format(count=real))
    places = places_from_regions(Region.objects.values_list("code", "name", "level", "parent_id", "urban"))
    rows = generate_county(places, households=households, seed=seed, as_of=as_of)
    people = households_write(rows, on=as_of)
    users = demo_users_ensure()
    county_civil = next(u for u in users if u.username == "minzheng")
    demo_grid_workers_ensure(password=DEMO_PASSWORD, seed=seed)
    demo_statuses_write(on=as_of, by=county_civil)
    demo_reviews_write(on=as_of, by=next(u for u in users if u.username == "tantu_jingban"))
    demo_visits_write(on=as_of, by_county=county_civil, seed=seed)
    audit_record(by=None, action=AuditEvent.Action.CREATE, object_type=MARKER, object_label="演示县（合成数据）",
                 region_code=COUNTY, detail={"households": len(rows), "people": people, "seed": seed})
    return DemoResult(built=True, households=len(rows), people=people)


def households_write(rows: list[HouseholdRow], *, on: date) -> int:
    """Write households and everything under them with a few bulk inserts; returns the number of people."""
    households = Household.objects.bulk_create([_household(r) for r in rows])
    members = Member.objects.bulk_create([_member(p) for r in rows for p in r.members])
    people = iter(members)
    memberships, vehicles, obligors, changes = [], [], [], []
    for row, household in zip(rows, households, strict=True):
        for position, person in enumerate(row.members):
            memberships.append(Membership(member=next(people), household=household, relation=person.relation,
                                          co_resident=person.co_resident, excluded=person.excluded,
                                          position=position, started_on=on))
        vehicles += [Vehicle(household=household, kind=kind, value=value) for kind, value in row.vehicles]
        obligors += [Obligor(household=household, name=o.name, supports=o.supports, age=o.age, status=o.status,
                             annual_income=o.annual_income) for o in row.obligors]
        changes.append(HouseholdChange(household=household, version=1, action="demo", summary="建档（演示数据）",
                                       changes=[]))
    for model, objects in ((Membership, memberships), (Vehicle, vehicles), (Obligor, obligors),
                           (HouseholdChange, changes)):
        model.objects.bulk_create(objects)
    return len(members)


def demo_statuses_write(*, on: date, by: User) -> int:
    """What the county had confirmed before the platform: each household the engine places today, in force
    since a month of the last three years (spread by household, so periodic reviews fall due over the
    year). One household in NEVER_APPLIED has no status at all: eligible but never applied, as in every
    county (the first alerting run raises them, see monitoring.alerting.known_findings). Two screening
    runs are kept as the county's history: one HISTORY_MONTHS back (so that tagged families whose income
    has stayed above the line since show as 风险消除 candidates) and the baseline today."""
    screening_run(on=months_before(on, HISTORY_MONTHS), store=True, by=by)
    outcome = screening_run(on=on, store=True, by=by)
    monitored = dict(Household.objects.values_list("pk", "monitoring_object"))
    statuses = []
    for household_id, categories, dibao, tekun in (ScreeningResult.objects.filter(run=outcome.run)
                                                   .values_list("household_id", "categories", "dibao_monthly",
                                                                "tekun_monthly")):
        confirmed = [c for c in CATEGORIES if c in categories]
        if not confirmed and not monitored.get(household_id) or household_id % NEVER_APPLIED == 0:
            continue
        months_back = 1 + household_id * 7919 % 36
        start = date(on.year - (months_back + 12 - on.month) // 12, (on.month - months_back - 1) % 12 + 1, 1)
        statuses.append(HouseholdStatus(household_id=household_id, categories=confirmed,
                                        monitoring_object=bool(monitored.get(household_id)),
                                        dibao_monthly=dibao if "dibao" in confirmed else 0,
                                        tekun_monthly=tekun if "tekun" in confirmed else 0,
                                        effective_from=start, created_by=by))
    HouseholdStatus.objects.bulk_create(statuses, batch_size=2000)
    return len(statuses)


def _household(r: HouseholdRow) -> Household:
    return Household(
        code=r.code, region_id=r.region, residence=r.residence, address=r.address, deposits=r.deposits,
        urban_houses=r.urban_houses, business_capital=r.business_capital, rigid_medical=r.rigid_medical,
        rigid_education=r.rigid_education, rigid_disability=r.rigid_disability, housing_grade=r.housing_grade,
        water_safe=r.water_safe, monitoring_object=r.monitoring_object, monitoring_kind=r.monitoring_kind,
        head_name=r.head.name, member_count=len(r.members))


def _member(p: PersonRow) -> Member:
    fields = {key: getattr(p, key) for key in _MEMBER_FIELDS}
    fields["name_pinyin"], fields["name_initials"] = name_pinyin(fields["name"])
    return Member(**fields)


_MEMBER_FIELDS = (
    "id_number", "name", "birth_date", "sex", "schooling", "disability_kind", "disability_grade", "labor",
    "illness", "employment", "self_care_failed", "medical_insured", "income_wages", "income_business",
    "income_property", "income_transfer", "income_excluded",
)


def demo_users_ensure() -> list[User]:
    """One demo user per role (and per department), with the shared demo password; missing ones are created.

    The password is hashed once and shared: hashing it per user would cost seconds on a small machine.
    """
    existing = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    missing = [u for u in DEMO_USERS if u[0] not in existing]
    if missing:
        password = make_password(DEMO_PASSWORD)
        created = User.objects.bulk_create([
            User(username=username, full_name=full_name, role=role, password=password,
                 region_id=None if role == Role.DEPARTMENT_CLERK else where,
                 department=where if role == Role.DEPARTMENT_CLERK else "")
            for username, full_name, role, where in missing])
        existing.update({u.username: u for u in created})
    return [existing[u[0]] for u in DEMO_USERS]
