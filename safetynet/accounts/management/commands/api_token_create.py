"""Create a personal API token: `safetynet api_token_create USERNAME NAME`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.accounts.services import api_token_create

UNKNOWN_USER = "没有名为 {username} 的在用账号"


class Command(BaseCommand):
    help = "为用户创建接口令牌；令牌只显示这一次（数据库中只保存其 SHA-256 摘要）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="令牌所属用户的账号")
        parser.add_argument("name", help="令牌名称，例如调用方系统的名称")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(UNKNOWN_USER.format(username=options["username"]))
        try:
            token, plaintext = api_token_create(user=user, name=options["name"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        # The notice goes to stderr, so `TOKEN=$(safetynet api_token_create …)` captures the token alone.
        self.stderr.write(f"已为 {user.username} 创建接口令牌“{token.name}”（编号 {token.pk}）。"
                          "令牌只显示这一次，请立即妥善保存：")
        self.stdout.write(plaintext)
