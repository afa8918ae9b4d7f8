"""The household document over HTTP (/api/v1/). Thin: parse → service → JSON.

Authentication is a browser session or `Authorization: Bearer <token>` (accounts.api_auth); errors
are `{"errors": [{"path", "message"}]}` in Chinese (core.jsonapi).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from safetynet.accounts.api_auth import api_authenticated
from safetynet.accounts.permissions import Capability, has_capability
from safetynet.core.document import DocumentInvalid, FieldError, parse_household_document
from safetynet.core.jsonapi import (
    BadRequest,
    error_response,
    json_errors,
    json_response,
    method_not_allowed,
    read_json,
)
from safetynet.registry.document_io import household_export
from safetynet.registry.models import Household
from safetynet.registry.openapi import openapi_document
from safetynet.registry.selectors import access_household
from safetynet.registry.services import StaleHousehold, household_save

NO_EXPORT = "您无权导出个人信息"
NO_EDIT = "您无权新增或修改家庭信息"
BAD_IF_MATCH = "If-Match 请求头应为版本号（整数），例如 If-Match: 3"
CODE_MISMATCH = "文档中的户编号{given}与该户的户编号{code}不一致；请核对是否提交错了文件"


def _require(user: Any, capability: Capability, message: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(message)


def _saved(household: Household) -> dict[str, Any]:
    return {"id": household.pk, "code": household.code, "version": household.version,
            "url": reverse("api:household_document", args=[household.pk])}


def _expected_version(request: HttpRequest) -> int | None:
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise BadRequest(BAD_IF_MATCH)
    return int(value)


@api_authenticated
@json_errors
def households(request: HttpRequest) -> HttpResponse:
    """POST a document: create a household (201)."""
    if request.method != "POST":
        return method_not_allowed(request, ["POST"])
    _require(request.user, Capability.EDIT_HOUSEHOLDS, NO_EDIT)
    document = parse_household_document(read_json(request))
    household = household_save(document=document, by=request.user, action="api")
    body = _saved(household)
    return json_response(body, status=201, headers={"Location": body["url"]})


@api_authenticated
@json_errors
def household_document(request: HttpRequest, pk: int) -> HttpResponse:
    """GET the household as a document (audited export); PUT a document to update it."""
    if request.method == "GET":
        _require(request.user, Capability.EXPORT_PERSONAL_DATA, NO_EXPORT)
        household = access_household(request.user, pk)
        data = household_export(household=household, by=request.user, via="api")
        return json_response(data, headers={"ETag": f'"{household.version}"'})
    if request.method == "PUT":
        return _household_update(request, pk)
    return method_not_allowed(request, ["GET", "PUT"])


def _household_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, Capability.EDIT_HOUSEHOLDS, NO_EDIT)
    household = access_household(request.user, pk)
    expected = _expected_version(request)
    document = parse_household_document(read_json(request))
    if document.code and document.code != household.code:
        raise DocumentInvalid([FieldError("code", CODE_MISMATCH.format(given=document.code, code=household.code))])
    try:
        saved = household_save(document=document, by=request.user, household=household,
                               expected_version=expected, action="api")
    except StaleHousehold as error:
        return error_response(409, str(error))
    return json_response(_saved(saved), headers={"ETag": f'"{saved.version}"'})


def openapi(request: HttpRequest) -> HttpResponse:
    """The API description (OpenAPI 3.1); public, it holds no personal data."""
    if request.method != "GET":
        return method_not_allowed(request, ["GET"])
    return json_response(openapi_document())
