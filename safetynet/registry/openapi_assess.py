"""The OpenAPI description of `POST /assess` and of the assessment it returns (DOMAIN.md §2).

Keys the reference cases check are required; the engine may add more, so objects stay open.
"""

from __future__ import annotations

from typing import Any

from safetynet.policy.explain import CATEGORY_LABELS, RISK_LABELS, TAG_LABELS
from safetynet.registry.openapi import openapi_register, ref, response_ref


def _codes(options: dict[str, str], description: str) -> dict[str, Any]:
    listed = "；".join(f"{code}：{label}" for code, label in options.items())
    return {"type": "array", "items": {"type": "string", "enum": list(options)},
            "description": f"{description}（{listed}）"}


def _number(description: str) -> dict[str, Any]:
    return {"type": "number", "description": description}


def _open(properties: dict[str, Any], description: str, required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "description": description, "properties": properties}
    return {**schema, "required": required} if required else schema


ASSESSMENT_SCHEMAS: dict[str, dict[str, Any]] = {
    "Assessment": _open({
        "as_of": {"type": "string", "format": "date", "description": "核算日期：年龄和参数均按此日计算"},
        "region": {"type": "string", "description": "户所在区划代码（参数按区划链逐级查找）"},
        "residence": {"type": "string", "enum": ["rural", "urban"], "description": "城乡类别"},
        "parameter_version": {"type": "string", "description": "所用参数集的版本（简短哈希），用于复核"},
        "categories": _codes(CATEGORY_LABELS, "认定类别，按此顺序"),
        "tags": _codes(TAG_LABELS, "标识（与类别并列）"),
        "tekun_members": {"type": "array", "items": {"type": "string"},
                          "description": "认定为特困的成员身份证号，升序"},
        "monitoring_candidate": {"type": "boolean",
                                 "description": "是否列为防返贫监测预警对象（待核实的预警，不是认定）"},
        "risks": _codes(dict(sorted(RISK_LABELS.items())), "致贫返贫风险，升序"),
        "figures": ref("AssessmentFigures"),
        "benefits": ref("AssessmentBenefits"),
        "members": {"type": "array", "items": ref("AssessedMember"), "description": "成员逐一说明：是否计入、理由"},
        "rules": {"type": "array", "items": ref("RuleVerdict"), "description": "每条规则的结论、数字和参数"},
        "explanation": {"type": "array", "items": {"type": "string"}, "description": "中文说明，可向群众宣读"},
        "pending_parameters": {"type": "array", "items": {"type": "string"},
                               "description": "所用参数中状态为 P（待确认）的参数名"},
    }, "一户的认定结果及依据（DOMAIN.md §2“What an assessment returns”）",
        required=["as_of", "categories", "tags", "tekun_members", "monitoring_candidate", "risks", "figures",
                  "benefits", "rules"]),
    "AssessmentFigures": _open({
        "counted_members": {"type": "integer", "description": "计入的共同生活家庭成员人数"},
        "income_annual": _number("家庭年收入（元），计入成员四项收入之和"),
        "per_capita_income_monthly": _number("人均月收入（元），两位小数，四舍五入"),
        "standard_monthly": _number("适用的低保标准（元/人·月）"),
        "edge_line_annual": _number("低保边缘线（元/人·年），就高确定"),
    }, "核算数字（金额单位：元）", required=["counted_members", "per_capita_income_monthly"]),
    "AssessmentBenefits": _open({
        "dibao_monthly": {"type": "integer", "description": "低保金（元/月，补差加分类施保，取整到元）"},
        "tekun_monthly": {"type": "integer", "description": "特困供养金（元/月，基本生活加照料护理）"},
        "medical_ratio": {"type": "object", "additionalProperties": {"type": "number"},
                          "description": "医疗救助比例，按成员身份证号（就高不就低；无则为 0）"},
        "disability_living_subsidy": {"type": "object", "description": "困难残疾人生活补贴（按成员）"},
        "disability_care_subsidy": {"type": "object", "description": "重度残疾人护理补贴（按成员）"},
    }, "待遇金额和比例", required=["dibao_monthly", "tekun_monthly", "medical_ratio"]),
    "AssessedMember": _open({
        "id_number": {"type": "string", "description": "身份证号"},
        "name": {"type": "string", "description": "姓名"},
        "counted": {"type": "boolean", "description": "是否计入家庭人口"},
        "reason": {"type": "string", "description": "计入或不计入的理由"},
        "tekun": {"type": "boolean", "description": "是否认定为特困"},
    }, "一名成员的核算情况"),
    "RuleVerdict": _open({
        "rule": {"type": "string", "description": "规则代码，如 dibao.income_below_standard"},
        "title": {"type": "string", "description": "规则名称"},
        "article": {"type": "string", "description": "依据的文件和条款"},
        "verdict": {"type": "boolean", "description": "本户是否符合该规则"},
        "figures": {"type": "object", "description": "该结论所用的数字"},
        "parameters": {"type": "array", "items": ref("ParameterUsed")},
        "text": {"type": "string", "description": "中文说明"},
    }, "一条规则的结论", required=["rule", "verdict"]),
    "ParameterUsed": _open({
        "name": {"type": "string", "description": "参数名"},
        "value": _number("参数值"),
        "since": {"type": "string", "format": "date", "description": "生效日期"},
        "region": {"type": "string", "description": "给出该值的区划层级（区划代码或 national）"},
        "status": {"type": "string", "enum": ["K", "P"], "description": "K：有正式文件；P：暂定值，待确认"},
        "pending": {"type": "boolean", "description": "是否待确认（status 为 P）"},
        "source": {"type": "string", "description": "依据（文件及条款）"},
    }, "规则所用的一个参数值及其出处", required=["name", "value", "status", "source"]),
}

_DOCUMENT_BODY = {"required": True, "content": {"application/json": {"schema": ref("HouseholdDocument")}}}

ASSESSMENT_PATHS: dict[str, dict[str, Any]] = {
    "/assess": {"post": {
        "operationId": "assess",
        "summary": "核算一个户数据文档：认定类别、待遇及依据",
        "description": "请求体为户数据文档本身（与 POST /households 相同，可直接提交 GET /households/{id}/document "
                       "的结果）；核算日期由查询参数 on 给出。只做计算，不读写登记数据，不留痕。"
                       "结果与命令 `safetynet assess FILE --on 日期` 的输出相同。",
        "parameters": [{"name": "on", "in": "query", "required": False,
                        "schema": {"type": "string", "format": "date"},
                        "description": "核算日期 YYYY-MM-DD；不填为今天。格式不对时返回 400（path 为 on）"}],
        "requestBody": _DOCUMENT_BODY,
        "responses": {
            "200": {"description": "认定结果及依据",
                    "content": {"application/json": {"schema": ref("Assessment")}}},
            **{s: response_ref(int(s)) for s in ("400", "401", "413")},
            "422": {"description": "户数据文档有误（每处错误指明字段路径），或无法核算（如无计入成员、核算日期无参数）",
                    "content": {"application/json": {"schema": ref("Errors")}}},
        },
    }},
}

openapi_register(paths=ASSESSMENT_PATHS, schemas=ASSESSMENT_SCHEMAS)
