"""Console output for management commands that print Chinese text and documents."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any


def utf8_output() -> None:
    """Chinese text must reach a pipe or file intact whatever the locale of the shell (e.g. LANG=C)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


NO_FILE = "文件不存在：{name}"
UNREADABLE = "无法读取文件 {name}：{reason}"


class SourceUnreadable(OSError):
    """The message is Chinese and names the file."""


def read_source(name: str, stdin: Any = None) -> bytes:
    """The bytes of file `name`, or of standard input for `-` (as the CLI commands take them)."""
    if name == "-":
        stream = stdin or sys.stdin
        buffer = getattr(stream, "buffer", None)
        return buffer.read() if buffer is not None else stream.read().encode("utf-8")
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise SourceUnreadable(NO_FILE.format(name=name)) from None
    except OSError as error:
        raise SourceUnreadable(UNREADABLE.format(name=name, reason=error.strerror or type(error).__name__)) from None
