"""Who calls the API: a browser session (same origin, CSRF enforced) or a personal token.

`Authorization: Bearer <token>` wins over a session cookie. Token requests are exempt from CSRF
because a token, unlike a cookie, is never sent by the browser on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from safetynet.accounts.services import api_token_authenticate
from safetynet.core.jsonapi import error_response

UNAUTHENTICATED = "未登录或接口令牌无效：请先登录，或在请求头中提供 Authorization: Bearer <接口令牌>"
CSRF_FAILED = "CSRF 校验失败：以浏览器会话调用接口时须带 X-CSRFToken 请求头；其他系统请改用接口令牌"


def _csrf_rejects(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    return check.process_view(request, None, (), {}) is not None  # type: ignore[arg-type]


def _unauthorized() -> HttpResponse:
    return error_response(401, UNAUTHENTICATED, headers={"WWW-Authenticate": 'Bearer realm="safetynet"'})


def api_authenticated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Set `request.user` from a token or the session; 401 JSON when there is neither."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme:
            user = api_token_authenticate(credentials.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                return _unauthorized()
            request.user = user
        elif not request.user.is_authenticated:
            return _unauthorized()
        elif _csrf_rejects(request):
            return error_response(403, CSRF_FAILED)
        return view(request, *args, **kwargs)

    return wrapper
