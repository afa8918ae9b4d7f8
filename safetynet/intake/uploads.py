"""Uploaded scans and photos: PDF, JPEG or PNG only, size-limited, stored under a random name.

The files hold personal data (signatures, homes, faces). They live under MEDIA_ROOT, which is never
served as static files: a page hands one out only after `access_application` let the user in.
The type is decided by the file's first bytes, not by its name or the browser's content type.
A file is written to disk before the row that names it is committed; `atomic_with_uploads` deletes
the files of a step that was refused or failed, so no scan outlives its rolled-back row.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from safetynet.intake.errors import IntakeInvalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_LABEL = "10 MB"

BAD_TYPE = "{label}只能上传 PDF、JPEG 或 PNG 文件；“{name}”不是这三种格式，请扫描或拍照后另存为 PDF、JPG 或 PNG 再上传"
TOO_LARGE = "{label}“{name}”有 {size:.1f} MB，超过 {limit} 的上限；请降低扫描分辨率或压缩后再上传"
EMPTY = "{label}“{name}”是空文件，请重新选择"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", ".pdf"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
)
_NAMES = {".pdf": (".pdf",), ".jpg": (".jpg", ".jpeg"), ".png": (".png",)}


class UploadInvalid(IntakeInvalid):
    """A file that is not a PDF/JPEG/PNG or is too large; str() is Chinese and names the file."""


def _sniff(upload: Any) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((ext for magic, ext in _SIGNATURES if head.startswith(magic)), None)


def upload_check(upload: UploadedFile, *, label: str) -> str:
    """Refuse anything but a non-empty PDF/JPEG/PNG within the size limit; the extension to store it under."""
    name = (upload.name or "").rsplit("/", 1)[-1][:80]
    if not upload.size:
        raise UploadInvalid(EMPTY.format(label=label, name=name))
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadInvalid(TOO_LARGE.format(label=label, name=name, size=upload.size / 1024 / 1024,
                                             limit=MAX_UPLOAD_LABEL))
    ext = _sniff(upload)
    if ext is None or not name.lower().endswith(_NAMES[ext]):
        raise UploadInvalid(BAD_TYPE.format(label=label, name=name))
    return ext


P = ParamSpec("P")
R = TypeVar("R")
_WRITTEN: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("intake_uploads_written", default=None)


def upload_store(field_file: FieldFile, name: str, content: UploadedFile) -> None:
    """Write `content` under a random name for `field_file` (the row is saved by the caller)."""
    field_file.save(name, content, save=False)
    written = _WRITTEN.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def atomic_with_uploads(func: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic`, and the files `upload_store` wrote are deleted if the step does not commit.

    An enclosing step (a service calling another) owns the clean-up: only the outermost one deletes.
    """
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _WRITTEN.get() is not None:
            with transaction.atomic():
                return func(*args, **kwargs)
        written: list[tuple[Storage, str]] = []
        token = _WRITTEN.set(written)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            for storage, name in written:
                storage.delete(name)
            raise
        finally:
            _WRITTEN.reset(token)

    return wrapper


def _random_name(folder: str, filename: str) -> str:
    # The family's name or ID number often is the scan's file name: keep neither on disk.
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ".jpg" if ext == ".jpeg" else ext
    return f"intake/{folder}/{uuid.uuid4().hex}{ext if ext in ('.pdf', '.jpg', '.png') else ''}"


def authorization_path(instance: object, filename: str) -> str:
    return _random_name("authorizations", filename)


def photo_path(instance: object, filename: str) -> str:
    return _random_name("photos", filename)
