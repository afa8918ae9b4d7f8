"""Forms of the household pages (新建/修改家庭、成员).

They check shape only. Each page starts from the household document, puts the form's values into
it and saves the whole document through `registry.services.household_save`, so the content rules
live in one place (`core.document` and the service); `form_errors.attach_errors` brings their
messages back to the form fields they come from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms

from safetynet.accounts.scoping import region_q
from safetynet.core.document import INCOME_KINDS
from safetynet.regions.models import Region
from safetynet.registry import choices

DISABILITY_BOTH = "残疾类别和等级应同时填写，或都不填"
FORMER_HEAD_NEEDED = "将本成员设为户主时，请选择原户主与新户主的关系"
HEAD_NOT_REMOVABLE = "户主不能直接移出本户。请先在另一名成员的编辑页把“与户主关系”改为“户主”，再移出本成员"
NOTE_NEEDED = "原因选“其他”时请写明具体原因"

GRADES = [("", "无"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]
SELF_CARE = [(0, "0项（能自理）"), *((n, f"{n}项") for n in range(1, 6)), (6, "6项（完全不能自理）")]
REMOVE_REASONS = [("死亡", "死亡"), ("户籍迁出", "户籍迁出"), ("婚嫁", "婚嫁"), ("分户", "分户"), ("其他", "其他")]
INCOME_LABELS = {k: f"{v}（元/年）" for k, v in INCOME_KINDS.items()}


class MoneyField(forms.DecimalField):
    """An amount in yuan; blank means 0. Sign and decimals are checked by the household document."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        attrs = {"inputmode": "decimal", "autocomplete": "off"}
        super().__init__(label=label, required=False, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: Any) -> Decimal:
        amount = super().clean(value)
        return Decimal(0) if amount is None else amount


class _BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            base = (widget or self.field.widget).attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "form-check-input"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; `document_paths` maps document paths to field names."""

    bound_field_class = _BoundField
    document_paths: ClassVar[dict[str, str]] = {}
    summary_prefix = ""  # e.g. "车辆第2行·", before the label in the error summary

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", _css_class(field.widget))

    def value(self, name: str, default: Any = None) -> Any:
        """The cleaned value, or `default` where the field was refused, so the document can still
        check every other field and the page lists all errors at once."""
        return self.cleaned_data.get(name, default)


class _DisabilityMixin:
    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        kind, grade = data.get("disability_kind"), data.get("disability_grade")
        if "disability_kind" in data and "disability_grade" in data and bool(kind) != (grade is not None):
            self.add_error("disability_kind" if grade is not None else "disability_grade",  # type: ignore[attr-defined]
                           DISABILITY_BOTH)
        return data


def _disability(form: StyledForm) -> dict[str, Any] | None:
    kind, grade = form.value("disability_kind"), form.value("disability_grade")
    return {"kind": kind, "grade": grade} if kind and grade else None


def _disability_initial(disability: dict[str, Any] | None) -> dict[str, Any]:
    return {"disability_kind": disability["kind"], "disability_grade": disability["grade"]} if disability else {}


# --- members -------------------------------------------------------------------------------------


class MemberForm(_DisabilityMixin, StyledForm):
    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="身份证号", widget=forms.TextInput(
        attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": "20"}))
    relation = forms.ChoiceField(label="与户主关系", choices=choices.RELATION)
    former_head_relation = forms.ChoiceField(
        label="原户主改为（与新户主的关系）", required=False,
        choices=[("", "——"), *(c for c in choices.RELATION if c[0] != "self")],
        help_text="仅在把本成员设为户主时填写；其他成员与户主的关系请随后逐一核对")
    co_resident = forms.BooleanField(label="共同生活", required=False, initial=True)
    excluded = forms.ChoiceField(label="不计入家庭成员的原因", required=False,
                                 choices=[("", "无（计入）"), *choices.EXCLUSION])
    schooling = forms.ChoiceField(label="在学情况", choices=choices.SCHOOLING, initial="none")
    disability_kind = forms.ChoiceField(label="残疾类别", required=False,
                                        choices=[("", "无残疾"), *choices.DISABILITY_KIND])
    disability_grade = forms.TypedChoiceField(label="残疾等级", choices=GRADES, coerce=int, empty_value=None,
                                              required=False)
    labor = forms.ChoiceField(label="劳动能力", choices=choices.LABOR, initial="full")
    illness = forms.ChoiceField(label="患病情况", choices=choices.ILLNESS, initial="none")
    employment = forms.ChoiceField(label="就业状况", choices=choices.EMPLOYMENT, initial="none")
    self_care_failed = forms.TypedChoiceField(label="不能自理的项数", choices=SELF_CARE, coerce=int, initial=0,
                                              help_text="六项：吃饭、穿衣、上下床、如厕、室内行走、洗澡")
    medical_insured = forms.BooleanField(label="参加基本医疗保险", required=False, initial=True)
    income_wages = MoneyField(INCOME_LABELS["wages"])
    income_business = MoneyField(INCOME_LABELS["business"])
    income_property = MoneyField(INCOME_LABELS["property"])
    income_transfer = MoneyField(INCOME_LABELS["transfer"])
    income_excluded = MoneyField(INCOME_LABELS["excluded"],
                                 help_text="抚恤金、奖学金、计生奖扶等，只登记不计入家庭收入")
    move_in = forms.BooleanField(label="从原户迁入", required=False,
                                 help_text="此人在原户的成员关系将关闭并保留，然后登记到本户")

    document_paths: ClassVar[dict[str, str]] = {
        **{key: key for key in ("name", "id_number", "relation", "co_resident", "excluded", "schooling", "labor",
                                "illness", "employment", "self_care_failed", "medical_insured")},
        "": "relation",  # "members": the number of heads of household
        "disability": "disability_kind", "disability.kind": "disability_kind",
        "disability.grade": "disability_grade",
        **{f"income.{k}": f"income_{k}" for k in INCOME_KINDS},
    }

    def __init__(self, *args: Any, head: bool = False, current_head: str = "", id_optional: bool = False,
                 allow_move: bool = False, **kwargs: Any) -> None:
        """`head`: the head of a new household; `current_head`: the name of another member who is head."""
        super().__init__(*args, **kwargs)
        self.current_head = current_head
        self.offer_move = False  # set by the view when the person may be moved in from another household
        if head:
            for name in ("version", "relation", "former_head_relation"):
                del self.fields[name]
            self.summary_prefix = "户主·"
        if not current_head:
            self.fields.pop("former_head_relation", None)
        else:
            self.fields["former_head_relation"].label = f"原户主{current_head}改为（与新户主的关系）"
        if id_optional:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = "不修改请留空；如需更正，填写完整的18位新号码"
        if not allow_move:
            del self.fields["move_in"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.current_head and data.get("relation") == "self" and not data.get("former_head_relation"):
            self.add_error("former_head_relation", FORMER_HEAD_NEEDED)
        return data

    @staticmethod
    def initial_from(member: dict[str, Any]) -> dict[str, Any]:
        keys = ("name", "relation", "co_resident", "schooling", "labor", "illness", "employment",
                "self_care_failed", "medical_insured")
        return {**{k: member[k] for k in keys}, "excluded": member["excluded"] or "",
                **_disability_initial(member["disability"]),
                **{f"income_{k}": v for k, v in member["income"].items()}}

    def member_data(self) -> dict[str, Any]:
        """The member as the household document has it (relation `self` for a new household's head)."""
        defaults = {"name": "", "co_resident": True, "schooling": "none", "labor": "full", "illness": "none",
                    "employment": "none", "self_care_failed": 0, "medical_insured": True}
        return {
            **{k: self.value(k, default) for k, default in defaults.items()},
            "id_number": self.value("id_number", "").strip().upper(),
            "relation": self.value("relation", "self"),
            "excluded": self.value("excluded") or None,
            "disability": _disability(self),
            "income": {k: self.value(f"income_{k}", Decimal(0)) for k in INCOME_KINDS},
        }


def member_put(data: dict[str, Any], form: MemberForm, *, index: int | None) -> int:
    """Put the member of `form` into document `data` (at `index`, or appended); return its index.

    A blank ID number keeps the current one. A new head's predecessor takes the relation chosen, and
    a renamed member stays the one the obligors support.
    """
    members, member = data["members"], form.member_data()
    if index is None:
        members.append(member)
        index = len(members) - 1
    else:
        member["id_number"] = member["id_number"] or members[index]["id_number"]
        old_name, members[index] = members[index]["name"], member
        for obligor in data.get("obligors", []):
            obligor["supports"] = [member["name"] if n == old_name else n for n in obligor["supports"]]
    former = form.value("former_head_relation")
    if member["relation"] == "self" and former:
        for i, other in enumerate(members):
            if i != index and other["relation"] == "self":
                other["relation"] = former
    return index


def member_pop(data: dict[str, Any], index: int) -> None:
    """Take member `index` out of document `data`, and out of what the obligors support."""
    gone = data["members"].pop(index)
    if any(m["name"] == gone["name"] for m in data["members"]):
        return  # another member of the same name is still supported
    for obligor in data.get("obligors", []):
        obligor["supports"] = [n for n in obligor["supports"] if n != gone["name"]]


class MemberRemoveForm(StyledForm):
    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)
    reason = forms.ChoiceField(label="移出原因", choices=[("", "请选择"), *REMOVE_REASONS])
    note = forms.CharField(label="具体原因", max_length=60, required=False)

    def __init__(self, *args: Any, is_head: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_head = is_head

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_head:
            raise forms.ValidationError(HEAD_NOT_REMOVABLE)
        if data.get("reason") == "其他" and not data.get("note"):
            self.add_error("note", NOTE_NEEDED)
        return data

    def end_reason(self) -> str:
        reason, note = self.cleaned_data["reason"], self.cleaned_data["note"]
        return f"从本户移出：{reason}" + (f"（{note}）" if note else "")


# --- households ----------------------------------------------------------------------------------


def region_choices(user: Any) -> list[Any]:
    """Villages and grids inside `user`'s regions, grouped by township (乡镇)."""
    regions = Region.objects.filter(level__in=[Region.Level.VILLAGE, Region.Level.GRID])
    q = region_q(user, "code")
    if q is not None:
        regions = regions.filter(q)
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in regions.select_related("parent__parent").order_by("code"):
        village = region if region.level == Region.Level.VILLAGE else region.parent
        township = village.parent if village is not None else None
        label = region.name if region is village else f"　{region.name}"
        groups.setdefault(township.name if township else "", []).append((region.code, f"{label}（{region.code}）"))
    return [("", "请选择"), *groups.items()]


class HouseholdCreateForm(StyledForm):
    region = forms.ChoiceField(label="所在村（社区）或网格")
    residence = forms.ChoiceField(label="城乡类别", choices=choices.RESIDENCE)
    address = forms.CharField(label="住址", max_length=200, required=False)

    document_paths: ClassVar[dict[str, str]] = {"region": "region", "residence": "residence", "address": "address"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)

    def household_data(self) -> dict[str, Any]:
        return {k: self.value(k, "") for k in ("region", "residence", "address")}


class HouseholdEditForm(HouseholdCreateForm):
    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)
    deposits = MoneyField("存款及有价证券（元）")
    urban_houses = forms.IntegerField(label="城镇住房（套）", initial=0,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    business_capital = MoneyField("经营主体注册资本（元）")
    rigid_medical = MoneyField("医疗自付支出（元/年）", help_text="近12个月，医保报销后个人负担部分")
    rigid_education = MoneyField("教育支出（元/年）")
    rigid_disability = MoneyField("残疾康复护理支出（元/年）")
    housing_grade = forms.ChoiceField(label="住房安全等级", choices=choices.HOUSING_GRADE, initial="A")
    water_safe = forms.BooleanField(label="饮水安全", required=False)
    monitoring_object = forms.BooleanField(label="防止返贫监测对象", required=False)
    monitoring_kind = forms.ChoiceField(label="监测类型", required=False,
                                        choices=[("", "无"), *choices.MONITORING_KIND])

    _SECTIONS: ClassVar[dict[str, dict[str, str]]] = {
        "assets": {"deposits": "deposits", "urban_houses": "urban_houses", "business_capital": "business_capital"},
        "rigid_expenses": {"medical": "rigid_medical", "education": "rigid_education",
                           "disability": "rigid_disability"},
        "living": {"housing_grade": "housing_grade", "water_safe": "water_safe"},
        "monitoring": {"object": "monitoring_object", "kind": "monitoring_kind"},
    }
    document_paths: ClassVar[dict[str, str]] = {
        **HouseholdCreateForm.document_paths,
        **{f"{section}.{key}": field for section, keys in _SECTIONS.items() for key, field in keys.items()},
    }

    @classmethod
    def initial_from(cls, data: dict[str, Any], *, version: int) -> dict[str, Any]:
        initial = {"version": version, **{k: data.get(k, "") for k in ("region", "residence", "address")}}
        for section, keys in cls._SECTIONS.items():
            initial.update({field: data[section][key] for key, field in keys.items()})
        initial["monitoring_kind"] = initial["monitoring_kind"] or ""
        return initial

    def apply(self, data: dict[str, Any], *, vehicles: RowFormSet, obligors: RowFormSet) -> None:
        """Put this page's values into document `data` (refused fields keep the stored value); members are
        left as they are."""
        cleaned = self.cleaned_data
        data.update({k: v for k, v in self.household_data().items() if k in cleaned})
        for section, keys in self._SECTIONS.items():
            data[section].update({key: cleaned[field] for key, field in keys.items() if field in cleaned})
        data["monitoring"]["kind"] = data["monitoring"]["kind"] or None
        data["assets"]["vehicles"] = [row.cleaned_data_for_document() for row in vehicles.rows()]
        known_ids = [o.get("id_number") for o in data.get("obligors", [])]
        data["obligors"] = [
            {**row.cleaned_data_for_document(),
             **({"id_number": known_ids[i]} if i < len(known_ids) and known_ids[i] else {})}
            for i, row in obligors.indexed_rows()
        ]


class RowFormSet(forms.BaseFormSet):
    """Rows that can be added and removed; blank new rows and rows marked 删除 are left out."""

    row_noun = "第{n}行"

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = "删除此行"
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
        if index is not None:
            form.summary_prefix = self.row_noun.format(n=index + 1) + "·"

    def indexed_rows(self) -> list[tuple[int, Any]]:
        """(form index, form) of the rows kept; a stored row's index finds what its form does not show."""
        initial = self.initial_form_count()
        return [(i, form) for i, form in enumerate(self.forms)
                if not self._should_delete_form(form) and (i < initial or form.has_changed())]

    def rows(self) -> list[Any]:
        return [form for _i, form in self.indexed_rows()]

    def targets(self, collection: str) -> dict[str, Any]:
        """Document path of each row kept, e.g. "assets.vehicles[1]", for `attach_errors`."""
        return {f"{collection}[{i}]": row for i, row in enumerate(self.rows())}


class VehicleForm(StyledForm):
    kind = forms.ChoiceField(label="车辆类型", choices=[("", "请选择"), *choices.VEHICLE_KIND])
    value = MoneyField("价值（元）")

    document_paths: ClassVar[dict[str, str]] = {"kind": "kind", "value": "value"}

    def cleaned_data_for_document(self) -> dict[str, Any]:
        return {"kind": self.value("kind", ""), "value": self.value("value", Decimal(0))}


class ObligorForm(_DisabilityMixin, StyledForm):
    name = forms.CharField(label="姓名", max_length=64)
    supports = forms.MultipleChoiceField(label="赡养/抚养/扶养的本户成员", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    age = forms.IntegerField(label="年龄（岁）", required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    status = forms.ChoiceField(label="状况", choices=choices.OBLIGOR_STATUS, initial="normal")
    disability_kind = forms.ChoiceField(label="残疾类别", required=False,
                                        choices=[("", "无残疾"), *choices.DISABILITY_KIND])
    disability_grade = forms.TypedChoiceField(label="残疾等级", choices=GRADES, coerce=int, empty_value=None,
                                              required=False)
    annual_income = MoneyField("年收入（元/年）")

    document_paths: ClassVar[dict[str, str]] = {
        "name": "name", "supports": "supports", "age": "age", "status": "status", "disability": "disability_kind",
        "disability.kind": "disability_kind", "disability.grade": "disability_grade",
        "annual_income": "annual_income",
    }

    def __init__(self, *args: Any, member_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supports"].choices = [(n, n) for n in dict.fromkeys(member_names)]

    @staticmethod
    def initial_from(obligor: dict[str, Any]) -> dict[str, Any]:
        keys = ("name", "supports", "age", "status", "annual_income")
        return {**{k: obligor.get(k) for k in keys}, **_disability_initial(obligor.get("disability"))}

    def cleaned_data_for_document(self) -> dict[str, Any]:
        return {"name": self.value("name", ""), "supports": self.value("supports", []), "age": self.value("age"),
                "status": self.value("status", "normal"), "disability": _disability(self),
                "annual_income": self.value("annual_income", Decimal(0))}


class VehicleFormSet(forms.formset_factory(VehicleForm, formset=RowFormSet, extra=1, can_delete=True)):  # type: ignore[misc]
    row_noun = "车辆第{n}行"


class ObligorFormSet(forms.formset_factory(ObligorForm, formset=RowFormSet, extra=1, can_delete=True)):  # type: ignore[misc]
    row_noun = "赡养义务人第{n}行"
