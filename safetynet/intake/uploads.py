"""Uploaded scans and photos: PDF, JPEG or PNG only, size-limited, stored under a random name.

The files hold personal data (signatures, homes, faces). They live under MEDIA_ROOT, which is never
served as static files: a page hands one out only after `access_application` let the user in.
The type is decided by the file's first bytes, not by its name or the browser's content type.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile

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


def _random_name(folder: str, filename: str) -> str:
    # The family's name or ID number often is the scan's file name: keep neither on disk.
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ".jpg" if ext == ".jpeg" else ext
    return f"intake/{folder}/{uuid.uuid4().hex}{ext if ext in ('.pdf', '.jpg', '.png') else ''}"


def authorization_path(instance: object, filename: str) -> str:
    return _random_name("authorizations", filename)


def photo_path(instance: object, filename: str) -> str:
    return _random_name("photos", filename)
