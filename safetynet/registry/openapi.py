"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json.

Hand-written data. Another module documents its endpoints by calling `openapi_register(paths=...,
schemas=...)` at import time (e.g. from its AppConfig.ready()), so `/assess` can join the same document.
Enumerations are built from core.document, so the description cannot drift from the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from safetynet.core import document as doc
from safetynet.core.jsonapi import MAX_BODY_BYTES

PATHS: dict[str, dict[str, Any]] = {}
SCHEMAS: dict[str, dict[str, Any]] = {}
RESPONSES: dict[str, dict[str, Any]] = {}


def openapi_register(*, paths: Mapping[str, Any] | None = None, schemas: Mapping[str, Any] | None = None,
                     responses: Mapping[str, Any] | None = None) -> None:
    """Add endpoints, schemas or shared responses to the API description."""
    PATHS.update(paths or {})
    SCHEMAS.update(schemas or {})
    RESPONSES.update(responses or {})


def openapi_document() -> dict[str, Any]:
    return deepcopy({
        "openapi": "3.1.0",
        "info": {
            "title": "镇赉县低收入人口动态监测与常态化帮扶平台 接口",
            "version": "1",
            "description": "户数据文档的导出、新建与更新。错误统一为 {\"errors\": [{\"path\", \"message\"}]}，"
                           "path 指明出错字段（如 members[1].id_number），message 为中文说明。"
                           f"请求体上限 {MAX_BODY_BYTES} 字节。",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "responses": RESPONSES, "securitySchemes": SECURITY_SCHEMES},
    })


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def response_ref(status: int) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{status}"}


def _enum(options: Mapping[str, str], description: str, *, nullable: bool = False, default: Any = None) -> dict:
    listed = "；".join(f"{key}：{label}" for key, label in options.items())
    schema: dict[str, Any] = {
        "type": ["string", "null"] if nullable else "string",
        "enum": [*options, None] if nullable else list(options),
        "description": f"{description}（{listed}{'；null：无' if nullable else ''}）",
    }
    if default is not None or nullable:
        schema["default"] = default
    return schema


def _money(description: str) -> dict[str, Any]:
    return {"type": "number", "minimum": 0, "exclusiveMaximum": 10_000_000_000, "default": 0,
            "description": f"{description}（元，最多两位小数；金额须为数字，不能是文本）"}


def _object(properties: dict[str, Any], description: str, *, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "description": description, "additionalProperties": False,
              "properties": properties}
    return {**schema, "required": required} if required else schema


SECURITY_SCHEMES = {
    "bearerToken": {"type": "http", "scheme": "bearer",
                    "description": "个人接口令牌：Authorization: Bearer <令牌>。由管理员运行 "
                                   "`safetynet api_token_create 用户名 名称` 创建，只显示一次；权限与该用户相同"},
    "session": {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "同源浏览器会话；新增、修改类请求须带 X-CSRFToken 请求头"},
}

_DISABILITY = {"oneOf": [{"type": "null"}, ref("Disability")], "default": None,
               "description": "残疾情况；无残疾为 null"}

HOUSEHOLD_SCHEMAS: dict[str, dict[str, Any]] = {
    "HouseholdDocument": _object({
        "code": {"type": "string", "maxLength": 32,
                 "description": "户编号。由系统分配，导出时带出；导入时若已存在则按 --update 或 PUT 更新该户"},
        "region": {"type": "string", "pattern": "^([0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})$",
                   "description": "12位村（社区）区划代码（或更短的区划代码）；参数按区划链逐级查找。"
                                  "登记到本平台时须为村（社区，12位）或网格（15位）"},
        "residence": _enum(doc.RESIDENCES, "城乡，决定适用哪一档低保标准"),
        "address": {"type": "string", "maxLength": 200, "description": "住址"},
        "members": {"type": "array", "minItems": 1, "items": ref("Member"),
                    "description": "户籍上的全部成员及与其共同生活的人员；须有且只有一名户主（relation: self）"},
        "obligors": {"type": "array", "items": ref("Obligor"), "default": [],
                     "description": "居住在外的法定赡养、抚养、扶养义务人"},
        "assets": ref("Assets"),
        "rigid_expenses": ref("RigidExpenses"),
        "living": ref("Living"),
        "monitoring": ref("Monitoring"),
    }, "户数据文档：一户及其成员。未知字段、类型错误、身份证号无效均为错误，并指明字段；系统不做猜测",
        required=["region", "residence", "members"]),
    "Member": _object({
        "name": {"type": "string", "minLength": 1, "maxLength": 64, "description": "姓名"},
        "id_number": {"type": "string", "pattern": "^[1-9][0-9]{16}[0-9Xx]$",
                      "description": "18位公民身份号码（GB 11643，核验校验位；出生日期和性别由此得出）"},
        "relation": _enum(doc.RELATIONS, "与户主关系"),
        "co_resident": {"type": "boolean", "default": True, "description": "是否共同生活"},
        "excluded": _enum(doc.EXCLUSIONS, "不计入家庭人口的原因", nullable=True),
        "schooling": _enum(doc.SCHOOLING, "当前全日制在学情况", default="none"),
        "disability": _DISABILITY,
        "labor": _enum(doc.LABOR, "劳动能力（以认定结果为准）", default="full"),
        "illness": _enum(doc.ILLNESS, "慢性病 / 重特大疾病", default="none"),
        "employment": _enum(doc.EMPLOYMENT, "就业状况", default="none"),
        "self_care_failed": {"type": "integer", "minimum": 0, "maximum": 6, "default": 0,
                             "description": "六项日常生活活动中不能自理的项数（自理能力）"},
        "medical_insured": {"type": "boolean", "default": True, "description": "是否参加基本医疗保险"},
        "income": ref("Income"),
    }, "家庭成员", required=["name", "id_number", "relation"]),
    "Disability": _object({
        "kind": _enum(doc.DISABILITY_KINDS, "残疾类别"),
        "grade": {"type": "integer", "minimum": 1, "maximum": 4, "description": "残疾等级，1–4级"},
    }, "残疾类别和等级", required=["kind", "grade"]),
    "Income": _object({key: _money(label) for key, label in doc.INCOME_KINDS.items()},
                      "近12个月收入（元）；excluded 只记录，从不计入收入"),
    "Obligor": _object({
        "name": {"type": "string", "minLength": 1, "maxLength": 64, "description": "姓名"},
        "supports": {"type": "array", "items": {"type": "string"}, "default": [],
                     "description": "所赡养、抚养、扶养的本户成员姓名"},
        "age": {"type": ["integer", "null"], "minimum": 0, "maximum": 130, "description": "年龄"},
        "status": _enum(doc.OBLIGOR_STATUS, "义务人状况", default="normal"),
        "disability": _DISABILITY,
        "annual_income": _money("年收入"),
        "id_number": {"type": ["string", "null"], "pattern": "^[1-9][0-9]{16}[0-9Xx]$",
                      "description": "18位公民身份号码（可不填）"},
    }, "居住在外的法定赡养、抚养、扶养义务人", required=["name"]),
    "Assets": _object({
        "deposits": _money("存款及有价证券"),
        "vehicles": {"type": "array", "items": ref("Vehicle"), "default": [], "description": "车辆"},
        "urban_houses": {"type": "integer", "minimum": 0, "maximum": 99, "default": 0,
                         "description": "城镇住房（套）"},
        "business_capital": _money("经营主体注册资本"),
    }, "家庭财产"),
    "Vehicle": _object({"kind": _enum(doc.VEHICLE_KINDS, "车辆类型"), "value": _money("价值")},
                       "车辆", required=["kind", "value"]),
    "RigidExpenses": _object({
        "medical": _money("医疗自付支出（医保报销后个人负担部分），近12个月"),
        "education": _money("教育支出，近12个月"),
        "disability": _money("残疾康复护理支出，近12个月"),
    }, "刚性支出（元，近12个月）"),
    "Living": _object({
        "housing_grade": _enum(doc.HOUSING_GRADES, "住房安全鉴定等级", default="A"),
        "water_safe": {"type": "boolean", "default": True, "description": "饮水安全"},
    }, "住房和饮水（两不愁三保障）"),
    "Monitoring": _object({
        "object": {"type": "boolean", "default": False,
                   "description": "是否防止返贫监测对象（由农业农村部门系统标识）"},
        "kind": _enum(doc.MONITORING_KINDS, "监测类型；object 为 false 时须为 null", nullable=True),
    }, "防止返贫监测标识"),
    "HouseholdSaved": _object({
        "id": {"type": "integer", "description": "内部编号，用于接口地址"},
        "code": {"type": "string", "description": "户编号"},
        "version": {"type": "integer", "description": "当前版本号；更新时可放在 If-Match 请求头中防止覆盖他人修改"},
        "url": {"type": "string", "description": "该户户数据文档的接口地址"},
    }, "保存结果", required=["id", "code", "version", "url"]),
    "Errors": _object({
        "errors": {"type": "array", "items": _object({
            "path": {"type": "string", "description": "出错字段的路径，如 members[1].id_number；整个请求出错时为空"},
            "message": {"type": "string", "description": "中文说明及改正方法"},
        }, "一处错误", required=["path", "message"])},
    }, "错误列表", required=["errors"]),
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Errors")}}}


ERROR_RESPONSES = {
    "400": _error("请求体不是有效的 JSON，或请求头有误"),
    "401": _error("未登录，或接口令牌无效、已吊销"),
    "403": _error("无此权限（角色或区划不符），或浏览器会话缺少 CSRF 令牌"),
    "404": _error("未找到该户，或您无权查看（两者答复相同）"),
    "409": _error("该户已被他人修改（If-Match 的版本号不是当前版本）"),
    "413": _error("请求体超过 1 MB"),
    "422": _error("户数据文档有误；每处错误指明字段路径"),
}

_DOCUMENT_BODY = {"required": True, "content": {"application/json": {"schema": ref("HouseholdDocument")}}}
_SAVED = {"application/json": {"schema": ref("HouseholdSaved")}}
_ETAG = {"ETag": {"description": "当前版本号（带引号），可用于 If-Match", "schema": {"type": "string"}}}

HOUSEHOLD_PATHS: dict[str, dict[str, Any]] = {
    "/households": {"post": {
        "operationId": "household_create",
        "summary": "从户数据文档新建一户",
        "description": "需要“修改家庭信息”权限，且文档的区划在本人管辖范围内。成员已在其他户在册时返回 422。",
        "requestBody": _DOCUMENT_BODY,
        "responses": {"201": {"description": "已建档", "content": _SAVED,
                              "headers": {"Location": {"description": "该户户数据文档的地址",
                                                       "schema": {"type": "string"}}}},
                      **{s: response_ref(int(s)) for s in ("400", "401", "403", "413", "422")}},
    }},
    "/households/{id}/document": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"},
                        "description": "家庭的内部编号"}],
        "get": {
            "operationId": "household_document",
            "summary": "导出一户的户数据文档",
            "description": "需要“导出个人信息”权限；每次导出均留痕。",
            "responses": {"200": {"description": "户数据文档", "headers": _ETAG,
                                  "content": {"application/json": {"schema": ref("HouseholdDocument")}}},
                          **{s: response_ref(int(s)) for s in ("401", "403", "404")}},
        },
        "put": {
            "operationId": "household_update",
            "summary": "用户数据文档更新一户",
            "description": "文档与现存信息完全相同时不产生新版本。",
            "parameters": [{"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
                            "description": "编辑所依据的版本号；不是当前版本时返回 409，不会覆盖他人的修改"}],
            "requestBody": _DOCUMENT_BODY,
            "responses": {"200": {"description": "已保存", "content": _SAVED, "headers": _ETAG},
                          **{s: response_ref(int(s)) for s in ("400", "401", "403", "404", "409", "413", "422")}},
        },
    },
    "/openapi.json": {"get": {
        "operationId": "openapi",
        "summary": "本接口说明（OpenAPI 3.1）",
        "security": [],
        "responses": {"200": {"description": "OpenAPI 文档", "content": {"application/json": {}}}},
    }},
}

openapi_register(paths=HOUSEHOLD_PATHS, schemas=HOUSEHOLD_SCHEMAS, responses=ERROR_RESPONSES)
