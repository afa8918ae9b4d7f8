"""The base layout: offline assets only, CSRF for htmx, navigation by capability, phone-sized pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src"}.get(tag)
        self.urls += [value or "" for name, value in attrs if name == wanted]


def asset_urls(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def pages(client, cast, household_a) -> dict[str, str]:
    rendered = {"login": client.get(reverse("accounts:login")).content.decode()}
    client.force_login(cast["county_civil"])
    for name, url in {
        "list": reverse("registry:household_list"),
        "detail": reverse("registry:household_detail", args=[household_a.pk]),
        "audit": reverse("audit:event_list"),
        "missing": "/households/999999/",
    }.items():
        rendered[name] = client.get(url).content.decode()
    return rendered


def test_pages_load_nothing_from_other_hosts(client, cast, household_a):
    for name, html in pages(client, cast, household_a).items():
        urls = asset_urls(html)
        assert any(u.endswith("htmx.min.js") for u in urls), name
        external = [u for u in urls if re.match(r"^(https?:)?//", u)]
        assert not external, f"{name} loads {external}"
        assert "fonts.googleapis" not in html and "cdn" not in " ".join(urls).lower()


def test_pages_are_chinese_and_fit_a_phone(client, cast, household_a):
    for name, html in pages(client, cast, household_a).items():
        assert '<html lang="zh-hans">' in html, name
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html, name


def test_htmx_sends_the_csrf_token(cast, household_a):
    # given: a browser-like client whose POSTs are CSRF-checked
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["clerk_a"])
    html = client.get(reverse("registry:household_detail", args=[household_a.pk])).content.decode()
    token = re.search(r"""<body hx-headers='\{"X-CSRFToken": "([^"]+)"\}'>""", html).group(1)
    url = reverse("registry:member_reveal", args=[household_a.pk, household_a.memberships.first().member_id])
    # when / then: htmx's header is what lets the reveal through
    assert client.post(url).status_code == 403
    assert client.post(url, headers={"X-CSRFToken": token}).status_code == 200


@pytest.mark.parametrize(
    ("role", "sees_audit"), [("county_civil", True), ("auditor", True), ("clerk_a", False), ("grid_a", False)]
)
def test_navigation_shows_links_by_capability(client, cast, role, sees_audit):
    # given
    user = cast[role]
    client.force_login(user)
    # when
    html = client.get(reverse("registry:household_list")).content.decode()
    # then
    assert "家庭档案" in html and user.get_role_display() in html
    assert (f'href="{reverse("audit:event_list")}"' in html) is sees_audit
    assert user.region.name in html


def test_logout_is_a_post_form(client, cast):
    # given
    client.force_login(cast["clerk_a"])
    html = client.get(reverse("registry:household_list")).content.decode()
    logout = reverse("accounts:logout")
    # then
    assert f'<form method="post" action="{logout}"' in html
    assert client.get(logout).status_code == 405
    assert client.post(logout).status_code == 302
    assert client.get(reverse("registry:household_list")).status_code == 302


def test_pages_with_personal_data_are_not_cached(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    for url in (
        reverse("registry:household_list"),
        reverse("registry:household_detail", args=[household_a.pk]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_tables_stack_into_cards_on_small_screens(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    html = client.get(reverse("registry:household_list")).content.decode()
    assert re.search(r'<table class="[^"]*\bsn-stack\b', html)
    assert 'data-label="户主"' in html
