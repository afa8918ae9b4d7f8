"""Console output for management commands that print Chinese text and documents."""

from __future__ import annotations

import io
import sys


def utf8_output() -> None:
    """Chinese text must reach a pipe or file intact whatever the locale of the shell (e.g. LANG=C)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")
