"""Revoke a user's API tokens by name: `safetynet api_token_revoke USERNAME NAME`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import ApiToken
from safetynet.accounts.services import api_token_revoke

NO_TOKEN = "用户 {username} 没有名为“{name}”的有效接口令牌"


class Command(BaseCommand):
    help = "吊销用户某个名称的全部有效接口令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = list(ApiToken.objects.select_related("user").filter(
            user__username=options["username"], name=options["name"], revoked_at__isnull=True))
        if not tokens:
            raise CommandError(NO_TOKEN.format(username=options["username"], name=options["name"]))
        for token in tokens:
            api_token_revoke(token=token, by=None)
        self.stdout.write(f"已吊销 {len(tokens)} 个接口令牌")
