"""Signing in and out; every attempt, good or bad, is in the audit trail with its address."""

from __future__ import annotations

from django.urls import reverse

from conftest import PASSWORD
from safetynet.audit.models import AuditEvent

LOGIN = reverse("accounts:login")


def test_login_page_is_in_chinese(client):
    html = client.get(LOGIN).content.decode()
    assert "登录" in html and "账号" in html and "密码" in html and "镇赉县低收入人口动态监测平台" in html


def test_successful_login_is_audited_with_the_address(client, cast):
    # when
    response = client.post(LOGIN, {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    # then
    assert response.status_code == 302 and response["Location"] == reverse("registry:household_list")
    event = AuditEvent.objects.get(action="login")
    assert event.actor == cast["clerk_a"] and event.actor_role == "township_clerk"
    assert event.ip_address == "10.1.2.3" and event.region_code == "220821101"


def test_failed_login_is_audited_with_the_name_typed_but_not_the_password(client, cast):
    # when
    response = client.post(
        LOGIN, {"username": "clerk_a", "password": "wrong-Secret-9"}, REMOTE_ADDR="10.9.8.7"
    )
    # then
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None and event.actor_username == "clerk_a" and event.ip_address == "10.9.8.7"
    assert "wrong-Secret-9" not in f"{event.object_label} {event.detail}"
    assert not AuditEvent.objects.filter(action="login").exists()


def test_failed_login_of_an_unknown_name_is_audited_too(client, db):
    client.post(LOGIN, {"username": "nobody", "password": "x"})
    assert AuditEvent.objects.get(action="login_failed").actor_username == "nobody"


def test_pages_send_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_signed_in_user_skips_the_login_page(client, cast):
    client.force_login(cast["clerk_a"])
    assert client.get(LOGIN).status_code == 302
