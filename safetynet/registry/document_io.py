"""Household documents in and out: audited export, and import of a file holding one or many documents.

Shared by the CLI (`household_export`, `household_import`) and the API. An import is all or nothing:
every document is checked and saved inside one transaction, every error is collected with its path
(`[3].members[1].id_number` in a list), and if there is any error nothing is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from django.db import transaction

from safetynet.audit.services import audit_record
from safetynet.core.document import DocumentInvalid, FieldError, document_to_dict, parse_household_document
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household
from safetynet.registry.services import EditNotAllowed, household_save, user_may_edit_region

CODE_EXISTS = "户编号{code}已存在；如需用本文档更新该户，请加 --update 参数"
CODE_NOT_YOURS = "户编号{code}已存在，且不在您可修改的区划内"
NOT_A_DOCUMENT = "文件内容应为一个户数据文档（对象），或由户数据文档组成的列表"
EMPTY_LIST = "文件中没有任何户数据文档"
BAD_JSON = "文件不是有效的 JSON：第{line}行第{column}列附近有语法错误"
BAD_YAML = "文件不是有效的 YAML：第{line}行第{column}列附近格式有误（注意缩进和冒号后的空格）"
NOT_UTF8 = "文件不是 UTF-8 编码；请在编辑器中另存为 UTF-8 后重试"


class FileUnreadable(ValueError):
    """The file is not JSON/YAML at all; the message is Chinese and says where."""


@dataclass(frozen=True)
class Imported:
    index: int
    household: Household
    outcome: str  # "created", "updated" or "unchanged"


# --- export --------------------------------------------------------------------------------------


def household_export(*, household: Household, by: Any, via: str, fmt: str = "json") -> dict[str, Any]:
    """The household as a document (plain data), recorded as an export of personal data (导出留痕)."""
    data = document_to_dict(household_document(household))
    audit_record(by=by, action="export", object_type="household", object_id=household.pk,
                 object_label=f"户{household.code}", region_code=household.region_id,
                 detail={"format": fmt, "via": via, "version": household.version})
    return data


def documents_dump(data: Any, *, fmt: str) -> str:
    """JSON or YAML text, UTF-8 characters kept as they are, fields in the reference cases' order."""
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- import --------------------------------------------------------------------------------------


def documents_load(raw: bytes, *, fmt: str) -> Any:
    """Parse file contents as JSON or YAML (`fmt` "json", "yaml" or "" to tell by the content)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileUnreadable(NOT_UTF8) from None
    if fmt == "json" or (not fmt and text.lstrip()[:1] in ("{", "[")):
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise FileUnreadable(BAD_JSON.format(line=error.lineno, column=error.colno)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else ("?", "?")
        raise FileUnreadable(BAD_YAML.format(line=line, column=column)) from None


def documents_of(content: Any) -> tuple[list[Any], bool]:
    """The documents in a loaded file and whether it was a list (whose errors carry `[index]`)."""
    if isinstance(content, list):
        if not content:
            raise FileUnreadable(EMPTY_LIST)
        return content, True
    if isinstance(content, dict):
        return [content], False
    raise FileUnreadable(NOT_A_DOCUMENT)


def _prefixed(index: int, error: FieldError) -> FieldError:
    path = "" if error.path in ("", "（文档）") else error.path
    if not path:
        return FieldError(f"[{index}]", error.message)
    return FieldError(f"[{index}]{path}" if path.startswith("[") else f"[{index}].{path}", error.message)


def _import_one(item: Any, *, by: Any, update: bool) -> tuple[Household, str]:
    document = parse_household_document(item)
    existing = Household.objects.filter(code=document.code).first() if document.code else None
    if existing is None:
        return household_save(document=document, by=by, action="import"), "created"
    if not user_may_edit_region(by, existing.region_id):
        raise DocumentInvalid([FieldError("code", CODE_NOT_YOURS.format(code=document.code))])
    if not update:
        raise DocumentInvalid([FieldError("code", CODE_EXISTS.format(code=document.code))])
    version = existing.version
    saved = household_save(document=document, by=by, household=existing, action="import")
    return saved, "updated" if saved.version != version else "unchanged"


@transaction.atomic
def households_import(*, items: list[Any], by: Any, update: bool = False, indexed: bool = True) -> list[Imported]:
    """Create (or, with `update`, bring up to date by 户编号) one household per document.

    Every document is tried, each in its own savepoint, so one run reports all errors, including
    a person listed in two documents of the same file. Any error rolls the whole file back.
    """
    imported: list[Imported] = []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        try:
            household, outcome = _import_one(item, by=by, update=update)
        except DocumentInvalid as error:
            found = error.errors
        except EditNotAllowed as error:
            found = [FieldError("region", str(error))]
        else:
            imported.append(Imported(index=index, household=household, outcome=outcome))
            continue
        errors += [_prefixed(index, e) if indexed else e for e in found]
    if errors:
        raise DocumentInvalid(errors)
    return imported
