"""`POST /api/v1/assess`: the body is a household document, `?on=` the date; the answer is the CLI's JSON."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import household_data
from safetynet.accounts.services import api_token_create
from safetynet.audit.models import AuditEvent
from safetynet.registry.models import Household
from safetynet.registry.tests.assessment_cases import CASE_FILES, as_of, case_yaml, checked, load_case
from safetynet.registry.tests.document_cases import BAD_DOCUMENTS, bad_document

ASSESS = "/api/v1/assess"
DOCUMENT_ERRORS = {kind: spec for kind, spec in BAD_DOCUMENTS.items() if kind != "id_active_elsewhere"}


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, data: Any, *, on: str | None = None, **headers: str) -> Any:
    body = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    url = f"{ASSESS}?on={on}" if on is not None else ASSESS
    return client.post(url, data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_reference_case_assessed_over_http(cast: dict[str, Any], path: Path) -> None:
    # given
    case = load_case(path)
    # when
    response = post(as_user(cast["grid_a"]), case["household"], on=as_of(case))
    # then
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"] == "application/json"
    assert checked(response.json(), case) == case["expect"], case["name"]


def test_the_api_answers_exactly_what_the_command_prints(cast: dict[str, Any]) -> None:
    # given
    case = load_case(CASE_FILES[2])
    out = io.StringIO()
    call_command("assess", "-", "--on", as_of(case), stdin=io.StringIO(case_yaml(CASE_FILES[2])), stdout=out)
    # when
    response = post(as_user(cast["clerk_a"]), case["household"], on=as_of(case))
    # then
    assert response.json() == json.loads(out.getvalue())
    assert response.content.decode("utf-8").strip() == out.getvalue().strip()


def test_a_token_may_assess_and_nothing_is_stored_or_audited(cast: dict[str, Any]) -> None:
    # given
    _, token = api_token_create(user=cast["dept_medical"], name="医保系统")
    case = load_case(CASE_FILES[0])
    audited = AuditEvent.objects.count()
    # when
    response = post(Client(), case["household"], on=as_of(case), Authorization=f"Bearer {token}")
    # then
    assert response.status_code == 200 and checked(response.json(), case) == case["expect"]
    assert AuditEvent.objects.count() == audited and not Household.objects.exists()


def test_without_login_or_token_the_answer_is_401(db: Any) -> None:
    response = post(Client(), household_data("220821101200001"), on="2025-08-01")
    assert response.status_code == 401 and "未登录" in response.json()["errors"][0]["message"]


def test_only_post_is_allowed(cast: dict[str, Any]) -> None:
    response = as_user(cast["clerk_a"]).get(ASSESS)
    assert response.status_code == 405 and response["Allow"] == "POST"


@pytest.mark.parametrize("kind", DOCUMENT_ERRORS)
def test_an_invalid_document_is_a_422_naming_the_field(cast: dict[str, Any], kind: str) -> None:
    # when
    response = post(as_user(cast["clerk_a"]), bad_document(kind, taken_id_number=""), on="2025-08-01")
    # then
    _, path, fragment = DOCUMENT_ERRORS[kind]
    assert response.status_code == 422
    assert any(e["path"] == path and fragment in e["message"] for e in response.json()["errors"]), response.json()


def test_a_household_with_no_counted_member_is_a_422_on_members(cast: dict[str, Any]) -> None:
    # given
    data = household_data("220821101200001")
    for member in data["members"]:
        member["co_resident"] = False
    # when
    response = post(as_user(cast["clerk_a"]), data, on="2025-08-01")
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "members"
    assert "无法核算" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("bad", ["2025-02-30", "20250801"])
def test_a_bad_date_is_a_400_on_on(cast: dict[str, Any], bad: str) -> None:
    response = post(as_user(cast["clerk_a"]), household_data("220821101200001"), on=bad)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"path": "on", "message": response.json()["errors"][0]["message"]}]}
    assert bad in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_json_is_a_400_in_chinese(cast: dict[str, Any]) -> None:
    response = post(as_user(cast["clerk_a"]), "{region: 220821", on="2025-08-01")
    assert response.status_code == 400 and "不是有效的 JSON" in response.json()["errors"][0]["message"]


def test_the_openapi_document_describes_assess_and_its_schema(db: Any) -> None:
    # when
    spec = Client().get("/api/v1/openapi.json").json()
    # then
    operation = spec["paths"]["/assess"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HouseholdDocument"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Assessment"}
    assert [p["name"] for p in operation["parameters"]] == ["on"]
    refs = {v for v in _values(spec) if isinstance(v, str) and v.startswith("#/components/")}
    for ref in refs:
        section, name = ref.split("/")[2:]
        assert name in spec["components"][section], ref


def test_the_assessment_schema_names_every_key_the_cases_check(db: Any) -> None:
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    top = set(schemas["Assessment"]["properties"])
    assert {"categories", "tags", "tekun_members", "monitoring_candidate", "risks"} <= top
    assert {"counted_members", "per_capita_income_monthly"} <= set(schemas["AssessmentFigures"]["properties"])
    assert {"dibao_monthly", "tekun_monthly", "medical_ratio"} <= set(schemas["AssessmentBenefits"]["properties"])


def _values(node: Any) -> Any:
    if isinstance(node, dict):
        for value in node.values():
            yield value
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)


def test_a_value_added_by_the_county_applies_over_http_but_not_in_the_file_only_command(cast: dict[str, Any]) -> None:
    # given: the county's official rural standard (6,000 元/年) from 2025-06-01, added through the parameters page
    from safetynet.parameters.services import parameter_value_add

    parameter_value_add(name="dibao.standard.rural_annual", region="220821", value=Decimal(6000),
                        since=date(2025, 6, 1), status="K", source="镇赉县民政局通知（测试）", reason="正式文件已下发",
                        by=cast["county_civil"])
    case = load_case(CASE_FILES[0])
    out = io.StringIO()
    call_command("assess", "-", "--on", as_of(case), stdin=io.StringIO(case_yaml(CASE_FILES[0])), stdout=out)
    # when
    result = post(as_user(cast["clerk_a"]), case["household"], on=as_of(case)).json()
    # then
    assert result["figures"]["standard_monthly"] == 500
    used = next(p for r in result["rules"] for p in r["parameters"] if p["name"] == "dibao.standard.rural_annual")
    assert used["status"] == "K" and used["origin"] == "overlay"
    assert json.loads(out.getvalue())["figures"]["standard_monthly"] == 460
