from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import household_data
from safetynet.audit.models import AuditEvent
from safetynet.core.document import RELATIONS, document_to_dict
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, HouseholdChange, Member
from safetynet.registry.tests.document_cases import (
    BAD_DOCUMENTS,
    CASE_FILES,
    bad_document,
    load_case,
    make_case_regions,
    normalised,
)

HOUSEHOLDS = "/api/v1/households"


def document_url(household: Any) -> str:
    return f"/api/v1/households/{household.pk}/document"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: Any, **headers: str) -> Any:
    body = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    return getattr(client, method)(url, data=body, content_type="application/json", headers=headers)


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), HouseholdChange.objects.count()


def test_clerk_gets_the_document_of_a_household_in_her_township_and_the_export_is_recorded(cast, household_a):
    # when
    response = as_user(cast["clerk_a"]).get(document_url(household_a))
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == document_to_dict(household_document(household_a))
    assert "王建国" in response.content.decode("utf-8") and response["ETag"] == '"1"'
    event = AuditEvent.objects.get(action="export", object_id=str(household_a.pk))
    assert event.actor == cast["clerk_a"] and event.detail["via"] == "api"


def test_clerk_cannot_get_or_put_a_household_of_another_township(cast, household_b):
    # given
    client = as_user(cast["clerk_a"])
    document = document_to_dict(household_document(household_b))
    # when
    got = client.get(document_url(household_b))
    put = send(client, "put", document_url(household_b), document)
    missing = client.get("/api/v1/households/999999/document")
    # then: "not yours" answers exactly like "missing"
    assert got.status_code == put.status_code == missing.status_code == 404
    assert got.json() == missing.json() == {"errors": [{"path": "", "message": "未找到该户，或您无权查看。"}]}
    assert not AuditEvent.objects.filter(action="export").exists()


def test_grid_worker_can_neither_export_nor_change_a_household(cast, household_a):
    client = as_user(cast["grid_a"])
    assert client.get(document_url(household_a)).status_code == 403
    put = send(client, "put", document_url(household_a), document_to_dict(household_document(household_a)))
    assert put.status_code == 403 and put.json()["errors"][0]["message"] == "您无权新增或修改家庭信息"
    assert send(client, "post", HOUSEHOLDS, household_data("220821101200001")).status_code == 403


def test_post_creates_a_household(cast):
    # when
    response = send(as_user(cast["clerk_a"]), "post", HOUSEHOLDS, household_data("220821101200001"))
    # then
    household = Household.objects.get()
    assert response.status_code == 201
    assert response.json() == {"id": household.pk, "code": "2208211012000001", "version": 1,
                               "url": document_url(household)}
    assert response["Location"] == document_url(household)
    assert household.changes.get().action == "api"


def test_post_into_another_township_is_forbidden(cast):
    response = send(as_user(cast["clerk_a"]), "post", HOUSEHOLDS, household_data("220821102200001"))
    assert response.status_code == 403 and counts() == (0, 0, 0)


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_reference_case_posts_and_gets_back_equal(cast, case_file):
    # given
    make_case_regions()
    client = as_user(cast["county_civil"])
    # when
    created = send(client, "post", HOUSEHOLDS, load_case(case_file))
    got = client.get(created.json()["url"])
    # then
    assert created.status_code == 201 and got.status_code == 200
    assert got.json()["code"] == created.json()["code"]
    assert normalised(got.json()) == normalised(load_case(case_file))


def test_put_applies_changes_and_an_identical_put_makes_no_new_version(cast, household_a):
    # given
    client = as_user(cast["clerk_a"])
    document = client.get(document_url(household_a)).json()
    document["members"][0]["income"]["wages"] = 2400.5
    # when
    changed = send(client, "put", document_url(household_a), document, **{"If-Match": '"1"'})
    again = send(client, "put", document_url(household_a), document, **{"If-Match": "2"})
    # then
    assert changed.status_code == again.status_code == 200
    assert changed.json()["version"] == again.json()["version"] == 2
    household_a.refresh_from_db()
    assert household_a.version == 2 and household_a.changes.count() == 2
    assert client.get(document_url(household_a)).json()["members"][0]["income"]["wages"] == 2400.5


def test_put_with_a_stale_version_is_refused_and_changes_nothing(cast, household_a):
    # given: someone else saved version 2 meanwhile
    client = as_user(cast["clerk_a"])
    document = client.get(document_url(household_a)).json()
    document["address"] = "坦途村一组"
    send(client, "put", document_url(household_a), document, **{"If-Match": "1"})
    document["address"] = "坦途村二组"
    # when
    response = send(client, "put", document_url(household_a), document, **{"If-Match": "1"})
    # then
    assert response.status_code == 409
    assert "已被他人修改（当前为第2版，您编辑的是第1版）" in response.json()["errors"][0]["message"]
    household_a.refresh_from_db()
    assert household_a.address == "坦途村一组"


def test_put_of_another_households_document_is_refused(cast, household_a, make_household):
    # given
    other = make_household("220821101200002")
    document = document_to_dict(household_document(other))
    # when
    response = send(as_user(cast["clerk_a"]), "put", document_url(household_a), document)
    # then
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "code"


def test_invalid_json_is_a_400_with_the_documented_shape(cast, household_a):
    response = send(as_user(cast["clerk_a"]), "post", HOUSEHOLDS, '{"region": "220821101200001",')
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "" and error["message"].startswith("请求体不是有效的 JSON")
    assert counts() == (1, 3, 1)


def test_body_over_one_megabyte_is_refused_with_a_clear_message(cast):
    data = household_data("220821101200001")
    data["padding"] = "x" * (1024 * 1024)
    response = send(as_user(cast["clerk_a"]), "post", HOUSEHOLDS, data)
    assert response.status_code == 413 and "上限为 1 MB" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("kind", BAD_DOCUMENTS)
def test_bad_document_is_a_422_naming_the_field_and_saves_nothing(cast, household_a, kind):
    # given
    taken = household_a.memberships.first().member.id_number
    before = counts()
    # when
    response = send(as_user(cast["clerk_a"]), "post", HOUSEHOLDS, bad_document(kind, taken_id_number=taken))
    # then
    _, path, fragment = BAD_DOCUMENTS[kind]
    assert response.status_code == 422
    assert any(e["path"] == path and fragment in e["message"] for e in response.json()["errors"]), response.json()
    assert counts() == before


def test_unauthenticated_request_gets_401_in_chinese(household_a):
    response = Client().get(document_url(household_a))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert "未登录" in response.json()["errors"][0]["message"]


def test_session_request_without_csrf_token_is_refused(cast):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["clerk_a"])
    # when
    response = send(client, "post", HOUSEHOLDS, household_data("220821101200001"))
    # then
    assert response.status_code == 403 and "CSRF" in response.json()["errors"][0]["message"]
    assert counts() == (0, 0, 0)


def test_session_request_with_csrf_token_is_accepted(cast):
    # given: the browser has the CSRF cookie from a page and sends it back as a header
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["clerk_a"])
    token = "Ab3d" * 8  # a CSRF secret has 32 letters and digits
    client.cookies["csrftoken"] = token
    # when
    response = send(client, "post", HOUSEHOLDS, household_data("220821101200001"), **{"X-CSRFToken": token})
    # then
    assert response.status_code == 201


def test_unsupported_method_is_a_405_in_json(cast, household_a):
    response = as_user(cast["clerk_a"]).delete(document_url(household_a))
    assert response.status_code == 405 and response["Allow"] == "GET, PUT"
    assert "不支持 DELETE 请求" in response.json()["errors"][0]["message"]


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if "$ref" in value else []
        return own + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_openapi_document_describes_the_household_endpoints(db):
    # when
    response = Client().get("/api/v1/openapi.json")
    # then
    spec = json.loads(response.content)
    assert response.status_code == 200 and spec["openapi"].startswith("3.1")
    assert {"/households", "/households/{id}/document", "/openapi.json"} <= set(spec["paths"])
    assert set(spec["paths"]["/households/{id}/document"]) >= {"get", "put"}
    for ref in _refs(spec):
        kind, name = ref.removeprefix("#/components/").split("/")
        assert name in spec["components"][kind], ref
    member = spec["components"]["schemas"]["Member"]
    assert member["properties"]["relation"]["enum"] == list(RELATIONS)
    assert member["properties"]["name"]["description"] == "姓名"
    assert member["additionalProperties"] is False
