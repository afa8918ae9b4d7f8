"""The household document (户数据文档): one household and its members as plain data.

This is the contract shared by the registry (export, create, update), the rules engine (assess) and
the API. It is pure Python: no Django, no ORM. `parse_household_document` turns a mapping (from
JSON or YAML) into a `HouseholdDocument` or raises `DocumentInvalid` with every error found, each
naming the field path (e.g. ``members[1].id_number``) in Chinese. Nothing is guessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from safetynet.core.idnumber import InvalidIdNumber, parse_id_number

RESIDENCES = {"rural": "农村", "urban": "城市"}
RELATIONS = {
    "self": "户主", "spouse": "配偶", "child": "子女", "parent": "父母", "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女", "sibling": "兄弟姐妹", "other": "其他",
}
EXCLUSIONS = {"prison": "服刑", "drug_rehab": "强制隔离戒毒", "missing": "宣告失踪", "cleric": "宗教教职人员"}
SCHOOLING = {
    "none": "未在学", "preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中",
    "vocational": "中职/高职", "college": "大学",
}
DISABILITY_KINDS = {
    "physical": "肢体", "visual": "视力", "hearing": "听力", "speech": "言语", "intellectual": "智力",
    "mental": "精神", "multiple": "多重",
}
LABOR = {"full": "有劳动能力", "partial": "部分丧失劳动能力", "none": "无劳动能力"}
ILLNESS = {"none": "无", "chronic": "慢性病", "serious": "重特大疾病"}
EMPLOYMENT = {
    "employed": "务工/就业", "farming": "务农", "self_employed": "自主经营", "unemployed": "失业",
    "retired": "退休", "none": "无",
}
OBLIGOR_STATUS = {
    "normal": "正常", "prison": "服刑", "drug_rehab": "强制隔离戒毒", "missing": "失踪",
    "no_capacity": "无赡养能力", "tekun": "特困人员", "dibao": "低保对象",
}
VEHICLE_KINDS = {"car": "小汽车", "truck": "货车", "motorcycle": "摩托车", "farm": "农用车", "disability": "残疾人代步车"}
HOUSING_GRADES = {"A": "A级", "B": "B级", "C": "C级", "D": "D级"}
MONITORING_KINDS = {"unstable": "脱贫不稳定户", "marginal": "边缘易致贫户", "sudden": "突发严重困难户"}
INCOME_KINDS = {"wages": "工资性收入", "business": "经营净收入", "property": "财产净收入", "transfer": "转移净收入",
                "excluded": "不计入收入"}
RIGID_KINDS = {"medical": "医疗自付", "education": "教育", "disability": "残疾康复护理"}


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}"


class DocumentInvalid(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors))


@dataclass
class Disability:
    kind: str
    grade: int


@dataclass
class Income:
    wages: Decimal = Decimal(0)
    business: Decimal = Decimal(0)
    property: Decimal = Decimal(0)
    transfer: Decimal = Decimal(0)
    excluded: Decimal = Decimal(0)  # recorded, never counted (抚恤金、奖学金等)


@dataclass
class MemberDoc:
    name: str
    id_number: str
    relation: str
    co_resident: bool = True
    excluded: str | None = None
    schooling: str = "none"
    disability: Disability | None = None
    labor: str = "full"
    illness: str = "none"
    employment: str = "none"
    self_care_failed: int = 0
    medical_insured: bool = True
    income: Income = field(default_factory=Income)
    birth_date: date | None = None  # derived from the ID number
    sex: str = ""  # derived from the ID number


@dataclass
class ObligorDoc:
    name: str
    supports: list[str] = field(default_factory=list)
    age: int | None = None
    status: str = "normal"
    disability: Disability | None = None
    annual_income: Decimal = Decimal(0)
    id_number: str | None = None


@dataclass
class VehicleDoc:
    kind: str
    value: Decimal


@dataclass
class Assets:
    deposits: Decimal = Decimal(0)
    vehicles: list[VehicleDoc] = field(default_factory=list)
    urban_houses: int = 0
    business_capital: Decimal = Decimal(0)


@dataclass
class RigidExpenses:
    medical: Decimal = Decimal(0)
    education: Decimal = Decimal(0)
    disability: Decimal = Decimal(0)


@dataclass
class Living:
    housing_grade: str = "A"
    water_safe: bool = True


@dataclass
class Monitoring:
    object: bool = False
    kind: str | None = None


@dataclass
class HouseholdDocument:
    region: str
    residence: str
    members: list[MemberDoc]
    obligors: list[ObligorDoc] = field(default_factory=list)
    assets: Assets = field(default_factory=Assets)
    rigid_expenses: RigidExpenses = field(default_factory=RigidExpenses)
    living: Living = field(default_factory=Living)
    monitoring: Monitoring = field(default_factory=Monitoring)
    address: str = ""
    code: str = ""  # 户编号, set by the registry

    @property
    def head(self) -> MemberDoc:
        return next(m for m in self.members if m.relation == "self")


# --- parsing -------------------------------------------------------------------------------------


class _Reader:
    """Collects every error with its path instead of stopping at the first one."""

    def __init__(self, *, today: date | None) -> None:
        self.errors: list[FieldError] = []
        self.today = today

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str] = frozenset()) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.fail(path or "（文档）", "应为对象（键值对）")
            return None
        for key in value:
            if key not in allowed:
                self.fail(_join(path, str(key)), f"未知字段；允许的字段：{'、'.join(sorted(allowed))}")
        for key in sorted(required):
            if key not in value:
                self.fail(_join(path, key), "缺少必填字段")
        return value

    def text(self, value: Any, path: str, *, required: bool = True, max_length: int = 200) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.fail(path, "应为文本")
            return ""
        value = value.strip()
        if required and not value:
            self.fail(path, "不能为空")
        if len(value) > max_length:
            self.fail(path, f"过长（最多{max_length}个字符）")
        return value

    def choice(self, value: Any, path: str, options: Mapping[str, str], *, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or value not in options:
            listed = "、".join(f"{k}（{v}）" for k, v in options.items())
            self.fail(path, f"取值{value!r}无效；应为：{listed}" + ("，或 null" if nullable else ""))
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, "应为 true 或 false")
            return False
        return value

    def integer(self, value: Any, path: str, *, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, "应为整数")
            return low
        if not low <= value <= high:
            self.fail(path, f"应在{low}到{high}之间")
        return value

    def money(self, value: Any, path: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.fail(path, "应为金额数字（元），不能是文本")
            return Decimal(0)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(path, "金额无效")
            return Decimal(0)
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if amount < 0:
            self.fail(path, "金额不能为负数")
        elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
            self.fail(path, "金额最多保留两位小数（分）")
        elif amount >= Decimal("1e10"):
            self.fail(path, "金额过大，请核对单位是否为元")
        return amount


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _items(reader: _Reader, value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        reader.fail(path, "应为列表")
        return []
    return value


def _disability(r: _Reader, value: Any, path: str) -> Disability | None:
    if value is None:
        return None
    data = r.mapping(value, path, {"kind", "grade"}, {"kind", "grade"})
    if data is None:
        return None
    kind = r.choice(data.get("kind"), _join(path, "kind"), DISABILITY_KINDS)
    grade = r.integer(data.get("grade"), _join(path, "grade"), low=1, high=4)
    return Disability(kind=kind or "", grade=grade)


def _income(r: _Reader, value: Any, path: str) -> Income:
    if value is None:
        return Income()
    data = r.mapping(value, path, set(INCOME_KINDS))
    if data is None:
        return Income()
    return Income(**{k: r.money(data[k], _join(path, k)) for k in INCOME_KINDS if k in data})


_MEMBER_FIELDS = {
    "name", "id_number", "relation", "co_resident", "excluded", "schooling", "disability", "labor", "illness",
    "employment", "self_care_failed", "medical_insured", "income",
}


def _member(r: _Reader, value: Any, path: str) -> MemberDoc | None:
    data = r.mapping(value, path, _MEMBER_FIELDS, {"name", "id_number", "relation"})
    if data is None:
        return None
    sub = lambda key: _join(path, key)  # noqa: E731
    member = MemberDoc(
        name=r.text(data.get("name"), sub("name"), max_length=64),
        id_number="",
        relation=r.choice(data.get("relation"), sub("relation"), RELATIONS) or "other",
    )
    raw_id = data.get("id_number")
    if not isinstance(raw_id, str):
        r.fail(sub("id_number"), "应为文本（18位身份证号；在 Excel 中请设为文本格式）")
    else:
        try:
            info = parse_id_number(raw_id, today=r.today)
        except InvalidIdNumber as error:
            r.fail(sub("id_number"), str(error))
        else:
            member.id_number, member.birth_date, member.sex = info.number, info.birth_date, info.sex
    optional: dict[str, Callable[[Any, str], Any]] = {
        "co_resident": r.boolean,
        "excluded": lambda v, p: r.choice(v, p, EXCLUSIONS, nullable=True),
        "schooling": lambda v, p: r.choice(v, p, SCHOOLING),
        "disability": lambda v, p: _disability(r, v, p),
        "labor": lambda v, p: r.choice(v, p, LABOR),
        "illness": lambda v, p: r.choice(v, p, ILLNESS),
        "employment": lambda v, p: r.choice(v, p, EMPLOYMENT),
        "self_care_failed": lambda v, p: r.integer(v, p, low=0, high=6),
        "medical_insured": r.boolean,
        "income": lambda v, p: _income(r, v, p),
    }
    for key, read in optional.items():
        if key in data:
            setattr(member, key, read(data[key], sub(key)))
    return member


def _obligor(r: _Reader, value: Any, path: str) -> ObligorDoc | None:
    allowed = {"name", "supports", "age", "status", "disability", "annual_income", "id_number"}
    data = r.mapping(value, path, allowed, {"name"})
    if data is None:
        return None
    obligor = ObligorDoc(name=r.text(data.get("name"), _join(path, "name"), max_length=64))
    supports_path = _join(path, "supports")
    obligor.supports = [r.text(s, _join(supports_path, i), max_length=64)
                        for i, s in enumerate(_items(r, data.get("supports"), supports_path))]
    if data.get("age") is not None:
        obligor.age = r.integer(data["age"], _join(path, "age"), low=0, high=130)
    if "status" in data:
        obligor.status = r.choice(data["status"], _join(path, "status"), OBLIGOR_STATUS) or "normal"
    obligor.disability = _disability(r, data.get("disability"), _join(path, "disability"))
    if "annual_income" in data:
        obligor.annual_income = r.money(data["annual_income"], _join(path, "annual_income"))
    if data.get("id_number") is not None:
        try:
            obligor.id_number = parse_id_number(r.text(data["id_number"], _join(path, "id_number")),
                                                today=r.today).number
        except InvalidIdNumber as error:
            r.fail(_join(path, "id_number"), str(error))
    return obligor


def _assets(r: _Reader, value: Any, path: str) -> Assets:
    data = r.mapping(value, path, {"deposits", "vehicles", "urban_houses", "business_capital"})
    assets = Assets()
    if data is None:
        return assets
    if "deposits" in data:
        assets.deposits = r.money(data["deposits"], _join(path, "deposits"))
    if "business_capital" in data:
        assets.business_capital = r.money(data["business_capital"], _join(path, "business_capital"))
    if "urban_houses" in data:
        assets.urban_houses = r.integer(data["urban_houses"], _join(path, "urban_houses"), low=0, high=99)
    vehicles_path = _join(path, "vehicles")
    for i, item in enumerate(_items(r, data.get("vehicles"), vehicles_path)):
        item_path = _join(vehicles_path, i)
        v = r.mapping(item, item_path, {"kind", "value"}, {"kind", "value"})
        if v is not None:
            assets.vehicles.append(VehicleDoc(kind=r.choice(v.get("kind"), _join(item_path, "kind"), VEHICLE_KINDS)
                                              or "car", value=r.money(v.get("value"), _join(item_path, "value"))))
    return assets


def _rigid(r: _Reader, value: Any, path: str) -> RigidExpenses:
    data = r.mapping(value, path, set(RIGID_KINDS))
    if data is None:
        return RigidExpenses()
    return RigidExpenses(**{k: r.money(data[k], _join(path, k)) for k in RIGID_KINDS if k in data})


def _living(r: _Reader, value: Any, path: str) -> Living:
    data = r.mapping(value, path, {"housing_grade", "water_safe"})
    living = Living()
    if data is None:
        return living
    if "housing_grade" in data:
        living.housing_grade = r.choice(data["housing_grade"], _join(path, "housing_grade"), HOUSING_GRADES) or "A"
    if "water_safe" in data:
        living.water_safe = r.boolean(data["water_safe"], _join(path, "water_safe"))
    return living


def _monitoring(r: _Reader, value: Any, path: str) -> Monitoring:
    data = r.mapping(value, path, {"object", "kind"})
    monitoring = Monitoring()
    if data is None:
        return monitoring
    if "object" in data:
        monitoring.object = r.boolean(data["object"], _join(path, "object"))
    if "kind" in data:
        monitoring.kind = r.choice(data["kind"], _join(path, "kind"), MONITORING_KINDS, nullable=True)
    if monitoring.kind and not monitoring.object:
        r.fail(_join(path, "kind"), "未标识为监测对象（object: false）时不能填写监测类型")
    return monitoring


_TOP_FIELDS = {"region", "residence", "members", "obligors", "assets", "rigid_expenses", "living", "monitoring",
               "address", "code"}


def _check_household(r: _Reader, doc: HouseholdDocument) -> None:
    if not doc.members:
        r.fail("members", "至少需要一名家庭成员")
        return
    heads = [i for i, m in enumerate(doc.members) if m.relation == "self"]
    if len(heads) != 1:
        r.fail("members", f"应有且只有一名户主（relation: self），当前为{len(heads)}名")
    seen: dict[str, int] = {}
    for i, member in enumerate(doc.members):
        if member.id_number and member.id_number in seen:
            r.fail(f"members[{i}].id_number", f"与 members[{seen[member.id_number]}] 的身份证号重复")
        seen.setdefault(member.id_number, i)
    names = {m.name for m in doc.members}
    for i, obligor in enumerate(doc.obligors):
        for j, name in enumerate(obligor.supports):
            if name not in names:
                r.fail(f"obligors[{i}].supports[{j}]", f"“{name}”不是本户成员的姓名")


def parse_household_document(data: Any, *, today: date | None = None) -> HouseholdDocument:
    """Validate `data` (parsed JSON/YAML) into a document; raise DocumentInvalid listing every error."""
    r = _Reader(today=today)
    top = r.mapping(data, "", _TOP_FIELDS, {"region", "residence", "members"})
    if top is None:
        raise DocumentInvalid(r.errors)
    region = r.text(top.get("region"), "region", max_length=15)
    if region and not (region.isdigit() and len(region) in (6, 9, 12, 15)):
        r.fail("region", "区划代码应为6、9、12或15位数字")
    members = [m for i, item in enumerate(_items(r, top.get("members"), "members"))
               if (m := _member(r, item, f"members[{i}]")) is not None]
    obligors = [o for i, item in enumerate(_items(r, top.get("obligors"), "obligors"))
                if (o := _obligor(r, item, f"obligors[{i}]")) is not None]
    doc = HouseholdDocument(
        region=region,
        residence=r.choice(top.get("residence"), "residence", RESIDENCES) or "rural",
        members=members,
        obligors=obligors,
        assets=_assets(r, top["assets"], "assets") if "assets" in top else Assets(),
        rigid_expenses=_rigid(r, top["rigid_expenses"], "rigid_expenses") if "rigid_expenses" in top
        else RigidExpenses(),
        living=_living(r, top["living"], "living") if "living" in top else Living(),
        monitoring=_monitoring(r, top["monitoring"], "monitoring") if "monitoring" in top else Monitoring(),
        address=r.text(top.get("address"), "address", required=False),
        code=r.text(top.get("code"), "code", required=False, max_length=32),
    )
    if len(members) == len(top.get("members") or []):
        _check_household(r, doc)
    if r.errors:
        raise DocumentInvalid(r.errors)
    return doc


# --- serialising ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def document_to_dict(doc: HouseholdDocument) -> dict[str, Any]:
    """The document as plain JSON/YAML data, in the field order of the reference cases."""
    data = _plain(asdict(doc))
    for member in data["members"]:
        member.pop("birth_date")
        member.pop("sex")
    for obligor in data["obligors"]:
        if obligor.get("id_number") is None:
            obligor.pop("id_number")
    if not data["address"]:
        data.pop("address")
    if not data["code"]:
        data.pop("code")
    return data
