"""DATABASE_URL parsing: SQLite (embedded default, WAL) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SQLITE_OPTIONS = {
    # IMMEDIATE avoids "database is locked" upgrades from read to write locks under concurrency.
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
}


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] for `url`.

    sqlite:///relative/path.sqlite3, sqlite:////absolute/path.sqlite3,
    postgresql://user:password@host:port/name?sslmode=…
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path)
        if not raw or raw == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: the SQLite file path is missing")
        path = Path(raw[1:])  # sqlite:///rel → "rel", sqlite:////abs → "/abs"
        if not path.is_absolute():
            path = base_dir / path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Persistent connections: opening one and running the PRAGMAs costs as much as a small page.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": dict(SQLITE_OPTIONS),
                "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}
    if scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL: the PostgreSQL database name is missing")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Several checkouts may test against one server at once: each names its own test database.
            "TEST": {"NAME": os.environ.get("SAFETYNET_TEST_DB", f"test_{name}")},
        }
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {scheme!r}; use sqlite:/// or postgresql://")
