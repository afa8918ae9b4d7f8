"""Messages of the household document and the registry service, put back on the form fields.

Each error of `core.document` names a document path (``members[2].income.wages``); the forms say
which paths they show (`document_paths`). A path no form shows is reported with its Chinese label.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django import forms

from safetynet.core.document import FieldError
from safetynet.registry.forms import HouseholdEditForm, MemberForm, ObligorForm, StyledForm, VehicleForm

_ROW = re.compile(r"^(members|obligors|assets\.vehicles)\[(\d+)\]")
_MEMBER_IN_TEXT = re.compile(r" ?members\[(\d+)\] ?")  # the spaces set a code apart from Chinese text
_ROW_NAMES = {"members": "第{n}名成员", "obligors": "第{n}名赡养义务人", "assets.vehicles": "第{n}辆车"}
_TOP_LABELS = {"members": "家庭成员", "obligors": "赡养义务人", "code": "户编号", "assets": "家庭财产",
               "assets.vehicles": "车辆", "rigid_expenses": "刚性支出", "living": "居住条件", "monitoring": "监测标识"}


@cache
def _labels() -> dict[str, str]:
    """Chinese label of every document path the forms know, with row indices written as []."""
    labels = {path: HouseholdEditForm.base_fields[f].label for path, f in HouseholdEditForm.document_paths.items()}
    for collection, form in (("members", MemberForm), ("obligors", ObligorForm), ("assets.vehicles", VehicleForm)):
        labels.update({f"{collection}[].{path}": form.base_fields[f].label
                       for path, f in form.document_paths.items() if path})
    labels["obligors[].supports[]"] = ObligorForm.base_fields["supports"].label
    return {**labels, **_TOP_LABELS}


def _row_name(collection: str, index: int, data: dict[str, Any]) -> str:
    if collection == "members" and index < len(data.get("members", [])):
        return f"成员“{data['members'][index]['name']}”"
    return _ROW_NAMES[collection].format(n=index + 1)


def path_label(path: str, data: dict[str, Any]) -> str:
    """A document path in Chinese: "members[1].income.wages" → 成员“李秀兰”的工资性收入（元/年）."""
    generic = re.sub(r"\[\d+\]", "[]", path)
    label = _labels().get(generic, path)
    row = _ROW.match(path)
    if row is None:
        return label
    name = _row_name(row.group(1), int(row.group(2)), data)
    return name if generic == f"{row.group(1)}[]" else f"{name}的{label}"


def _readable(message: str, data: dict[str, Any]) -> str:
    return _MEMBER_IN_TEXT.sub(lambda m: _row_name("members", int(m.group(1)), data), message)


def _target(path: str, targets: dict[str, StyledForm]) -> tuple[StyledForm | None, str]:
    for prefix, form in targets.items():
        if prefix and path != prefix and not path.startswith(prefix + "."):
            continue
        field = form.document_paths.get(path[len(prefix):].lstrip(".") if prefix else path)
        if field and field in form.fields:
            return form, field
    return None, ""


def attach_errors(errors: list[FieldError], *, targets: dict[str, StyledForm], fallback: forms.Form,
                  data: dict[str, Any]) -> None:
    """Put each document error on the field it comes from.

    `targets` maps a path prefix ("members[3]", "" for whole-document paths) to the form showing it;
    errors on paths no form shows go to `fallback` as non-field errors, with the path in Chinese.
    """
    refused = {(id(form), name) for form in targets.values() for name in form.errors}
    for error in errors:
        message = _readable(error.message, data)
        form, field = _target(error.path, targets)
        if form is not None:
            if (id(form), field) not in refused:  # else the form's own message on that field says it
                form.add_error(field, message)
        else:
            fallback.add_error(None, f"{path_label(error.path, data)}：{message}")


def error_summary(*items: forms.Form | forms.BaseFormSet) -> list[dict[str, str]]:
    """Every error of the page, each naming its field: [{text, anchor}] for the list at the top."""
    summary: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            summary += [{"text": str(e), "anchor": ""} for e in item.non_form_errors()]
            summary += error_summary(*item.forms)
            continue
        for name, errors in item.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                summary += [{"text": str(e), "anchor": ""} for e in errors]
                continue
            bound = item[name]
            prefix = getattr(item, "summary_prefix", "")
            summary += [{"text": f"{prefix}{bound.label}：{e}", "anchor": bound.auto_id} for e in errors]
    return summary

