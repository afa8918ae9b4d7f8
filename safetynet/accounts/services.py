"""Writes to accounts: API tokens (接口令牌)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import ApiToken, User
from safetynet.audit.services import audit_record

TOKEN_PREFIX = "sn_"
NAME_REQUIRED = "请填写令牌名称（例如调用方系统的名称），便于日后识别和吊销"
USER_INACTIVE = "账号{username}已停用，不能创建接口令牌"


def api_token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; return the row and the token, which is never stored and shown once.

    Only the SHA-256 hash is kept, so a copy of the database does not hand out working tokens.
    """
    name = name.strip()
    if not name:
        raise ValueError(NAME_REQUIRED)
    if not user.is_active:
        raise ValueError(USER_INACTIVE.format(username=user.username))
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], token_hash=api_token_hash(plaintext))
    audit_record(by=user, action="create", object_type="api_token", object_id=token.pk,
                 object_label=f"接口令牌“{token.name}”")
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: object) -> ApiToken:
    """Revoke a token for good; a revoked token is refused from the next request on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(by=by, action="change", object_type="api_token", object_id=token.pk,
                     object_label=f"吊销接口令牌“{token.name}”（{token.user.username}）")
    return token


def api_token_authenticate(plaintext: str) -> User | None:
    """The active user a live token belongs to, or None; records when the token was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(token_hash=api_token_hash(plaintext), revoked_at__isnull=True, user__is_active=True)
             .first())
    if token is None:
        return None
    now = timezone.now()
    # One write per minute at most: a busy client should not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
