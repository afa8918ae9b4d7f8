"""The parameters pages: every staff member reads them; only county civil affairs adds values."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safetynet.parameters.models import ParameterValue
from safetynet.parameters.selectors import TOPICS, effective_parameters
from safetynet.parameters.services import parameter_value_add

LIST = reverse("parameters:parameter_list")
NAME = "dibao.standard.urban_monthly"


def detail(name=NAME):
    return reverse("parameters:parameter_detail", args=[name])


def add(name=NAME):
    return reverse("parameters:parameter_value_add", args=[name])


def row_of(html, name):
    """The table row of parameter `name` on the list page."""
    match = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(name) + r"(?:(?!</tr>).)*</tr>", html, re.DOTALL)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("user", ["county_civil", "clerk_a", "grid_a", "auditor", "dept_medical"])
def test_every_staff_member_sees_every_parameter_by_topic(client, cast, user):
    # given
    client.force_login(cast[user])
    # when
    html = client.get(LIST).content.decode()
    # then
    for label in TOPICS.values():
        assert f">{label} <" in html
    for name in effective_parameters().names():
        assert name in html
    assert 'href="/parameters/"' in html  # the navbar link 政策参数


def test_list_flags_placeholder_values_as_pending(client, cast):
    client.force_login(cast["clerk_a"])
    html = client.get(LIST, {"on": "2025-08-01"}).content.decode()
    urban = row_of(html, NAME)
    assert "待确认" in urban and "720 元/人·月" in urban and "2025-01-01" in urban and "镇赉县" in urban
    publicity = row_of(html, "procedure.publicity_days")
    assert "待确认" not in publicity and "文件规定" in publicity


def test_list_shows_the_values_in_force_on_the_chosen_date(client, cast):
    client.force_login(cast["clerk_a"])
    assert "720 元/人·月" in row_of(client.get(LIST, {"on": "2025-12-31"}).content.decode(), NAME)
    assert "750 元/人·月" in row_of(client.get(LIST, {"on": "2026-01-01"}).content.decode(), NAME)
    assert "没有生效的取值" in row_of(client.get(LIST, {"on": "2024-12-31"}).content.decode(), NAME)


def test_a_bad_date_falls_back_to_today_with_a_message(client, cast):
    client.force_login(cast["clerk_a"])
    response = client.get(LIST, {"on": "2025-02-30"})
    assert response.status_code == 200
    assert "日期：格式应为 YYYY-MM-DD" in response.content.decode()


def test_list_shows_an_administrator_value_once_in_force(client, cast, new_value):
    # given
    parameter_value_add(**new_value, by=cast["county_civil"])
    client.force_login(cast["clerk_a"])
    # when
    urban = row_of(client.get(LIST, {"on": "2025-08-01"}).content.decode(), NAME)
    # then
    assert "800 元/人·月" in urban and "管理员添加" in urban and "待确认" not in urban


def test_history_shows_file_rows_and_who_added_what_and_why(client, cast, new_value):
    # given
    parameter_value_add(**new_value, by=cast["county_civil"])
    client.force_login(cast["auditor"])
    # when
    html = client.get(detail(), {"on": "2025-08-01"}).content.decode()
    # then
    for shown in ("720 元/人·月", "750 元/人·月", "800 元/人·月", "参数文件", "管理员添加：county_civil",
                  new_value["reason"], new_value["source"], "现行"):
        assert shown in html
    assert "添加新的取值" not in html


def test_county_civil_sees_the_form_and_adds_a_value(client, cast, new_value):
    # given
    client.force_login(cast["county_civil"])
    assert "添加新的取值" in client.get(detail()).content.decode()
    data = {**new_value, "value": "800", "since": "2025-07-01"}
    del data["name"]
    # when
    response = client.post(add(), data, follow=True)
    # then
    assert response.redirect_chain[-1][0] == detail()
    assert "已添加" in response.content.decode()
    assert ParameterValue.objects.get().created_by == cast["county_civil"]


@pytest.mark.parametrize("user", ["clerk_a", "auditor", "county_rural", "grid_a", "dept_medical"])
def test_other_roles_get_forbidden_on_the_form(client, cast, new_value, user):
    # given
    client.force_login(cast[user])
    data = {**new_value, "value": "800", "since": "2025-07-01"}
    # when / then
    assert client.get(add()).status_code == 403
    assert client.post(add(), data).status_code == 403
    assert not ParameterValue.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    assert client.get(LIST).url.startswith(reverse("accounts:login"))
    assert client.post(add(), {}).url.startswith(reverse("accounts:login"))
