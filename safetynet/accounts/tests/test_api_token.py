from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from conftest import household_data
from safetynet.accounts.models import ApiToken
from safetynet.accounts.services import api_token_create, api_token_revoke
from safetynet.audit.models import AuditEvent
from safetynet.registry.models import Household


def document_url(household) -> str:
    return f"/api/v1/households/{household.pk}/document"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_only_the_hash_of_a_new_token_is_stored(cast):
    # when
    row, plaintext = api_token_create(user=cast["clerk_a"], name="省平台对接")
    # then
    stored = ApiToken.objects.values().get(pk=row.pk)
    assert plaintext.startswith("sn_") and len(plaintext) > 40
    assert stored["token_hash"] == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in json.dumps(stored, default=str)
    assert AuditEvent.objects.filter(action="create", object_type="api_token", actor=cast["clerk_a"]).exists()


def test_command_prints_the_token_once_and_it_works(cast, household_a):
    # given
    out, err = io.StringIO(), io.StringIO()
    # when
    call_command("api_token_create", "clerk_a", "测试脚本", stdout=out, stderr=err)
    # then: stdout holds the token alone; the notice is on stderr
    token = out.getvalue().strip()
    assert "只显示这一次" in err.getvalue() and token not in err.getvalue()
    response = Client().get(document_url(household_a), headers=bearer(token))
    assert response.status_code == 200 and response.json()["code"] == household_a.code
    assert ApiToken.objects.get().last_used_at is not None


def test_command_refuses_an_unknown_user(cast):
    with pytest.raises(CommandError, match="没有名为 ghost 的在用账号"):
        call_command("api_token_create", "ghost", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_token_request_is_exempt_from_csrf_and_acts_as_its_user(cast):
    # given: a client that enforces CSRF and has no session at all
    _, token = api_token_create(user=cast["clerk_a"], name="批量导入")
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post("/api/v1/households", data=json.dumps(household_data("220821101200001")),
                           content_type="application/json", headers=bearer(token))
    # then
    assert response.status_code == 201
    assert Household.objects.get().changes.get().by == cast["clerk_a"]


def test_token_user_is_scoped_like_the_user(cast, household_b):
    _, token = api_token_create(user=cast["clerk_a"], name="x")
    assert Client().get(document_url(household_b), headers=bearer(token)).status_code == 404


def test_revoked_token_is_refused(cast, household_a):
    # given
    row, token = api_token_create(user=cast["clerk_a"], name="旧系统")
    assert Client().get(document_url(household_a), headers=bearer(token)).status_code == 200
    # when
    api_token_revoke(token=row, by=cast["county_civil"])
    # then
    response = Client().get(document_url(household_a), headers=bearer(token))
    assert response.status_code == 401 and "令牌无效" in response.json()["errors"][0]["message"]


def test_revoke_command_revokes_tokens_by_name(cast, household_a):
    # given
    _, token = api_token_create(user=cast["clerk_a"], name="旧系统")
    # when
    call_command("api_token_revoke", "clerk_a", "旧系统", stdout=io.StringIO())
    # then
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get(document_url(household_a), headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer sn_not-a-real-token", "Bearer ", "Basic Y2xlcmtfYTp4", "Token abc"])
def test_unknown_or_malformed_credentials_are_refused(cast, household_a, header):
    response = Client().get(document_url(household_a), headers={"Authorization": header})
    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_refused(cast, household_a):
    # given
    _, token = api_token_create(user=cast["clerk_a"], name="x")
    cast["clerk_a"].is_active = False
    cast["clerk_a"].save(update_fields=["is_active"])
    # then
    assert Client().get(document_url(household_a), headers=bearer(token)).status_code == 401
