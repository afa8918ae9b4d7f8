"""Small helpers for the JSON API: read a bounded JSON body, answer errors as `{"errors": [...]}`.

Every error body has the same shape, `{"errors": [{"path": "members[1].id_number", "message": "…"}]}`,
with Chinese messages, so a calling system shows them to its users as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from safetynet.core.document import DocumentInvalid, FieldError

MAX_BODY_BYTES = 1024 * 1024
INVALID_JSON = "请求体不是有效的 JSON：{detail}。请检查括号、引号和逗号是否成对、完整"
NOT_UTF8 = "请求体不是有效的 JSON：内容不是 UTF-8 编码，请以 UTF-8 发送"
BODY_TOO_LARGE = "请求体过大，上限为 1 MB（1048576 字节）；请分批提交"
EMPTY_BODY = "请求体不是有效的 JSON：请求体为空"
FORBIDDEN = "您无权执行此操作"
NOT_FOUND = "未找到该资源，或您无权查看。"
METHOD_NOT_ALLOWED = "不支持 {method} 请求；此地址支持：{allowed}"


class BadRequest(Exception):
    """A request the API refuses before reading it as a document; the message is Chinese."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def error_response(status: int, errors: str | Iterable[FieldError], **kwargs: Any) -> JsonResponse:
    items = [FieldError("", errors)] if isinstance(errors, str) else list(errors)
    body = {"errors": [{"path": e.path, "message": e.message} for e in items]}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False}, **kwargs)


def json_response(data: Any, *, status: int = 200, **kwargs: Any) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}, **kwargs)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是合法的 JSON 数值")


def read_json(request: HttpRequest, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """The request body parsed as JSON, numbers with a fraction as exact Decimal; BadRequest if not."""
    declared = request.headers.get("Content-Length") or "0"
    if declared.isdigit() and int(declared) > max_bytes:
        raise BadRequest(BODY_TOO_LARGE, status=413)
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadRequest(BODY_TOO_LARGE, status=413) from None
    if len(raw) > max_bytes:
        raise BadRequest(BODY_TOO_LARGE, status=413)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(NOT_UTF8) from None
    if not text.strip():
        raise BadRequest(EMPTY_BODY)
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BadRequest(INVALID_JSON.format(detail=f"第{error.lineno}行第{error.colno}列附近有语法错误")) from None
    except ValueError as error:
        raise BadRequest(INVALID_JSON.format(detail=str(error))) from None


def method_not_allowed(request: HttpRequest, allowed: list[str]) -> JsonResponse:
    message = METHOD_NOT_ALLOWED.format(method=request.method, allowed="、".join(allowed))
    return error_response(405, message, headers={"Allow": ", ".join(allowed)})


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the expected failures of an API view into JSON error bodies (no HTML error pages)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return error_response(error.status, str(error))
        except DocumentInvalid as error:
            return error_response(422, error.errors)
        except Http404 as error:
            return error_response(404, str(error) or NOT_FOUND)
        except PermissionDenied as error:
            return error_response(403, str(error) or FORBIDDEN)
        except PermissionError as error:
            if error.errno is not None:  # a real file-system error is a bug, not a refusal to the caller
                raise
            return error_response(403, str(error) or FORBIDDEN)

    return wrapper
