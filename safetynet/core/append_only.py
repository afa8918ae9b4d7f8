"""A migration operation that makes a table append-only at the database level (SQLite and PostgreSQL).

Used for records that must never be rewritten: the audit trail, administrator-added parameter values.
Not even a stray ORM call or an SQL console can then update, delete or truncate their rows.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _sqlite(table: str, prefix: str) -> tuple[list[str], list[str]]:
    message = f"{table} is append-only"
    forwards = [
        f"CREATE TRIGGER {prefix}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        f"CREATE TRIGGER {prefix}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
    ]
    return forwards, [f"DROP TRIGGER {prefix}_no_update;", f"DROP TRIGGER {prefix}_no_delete;"]


def _postgres(table: str, prefix: str) -> tuple[list[str], list[str]]:
    function = f"{prefix}_append_only"
    forwards = [
        f"CREATE FUNCTION {function}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{table} is append-only'; "
        "END; $$ LANGUAGE plpgsql;",
        f"CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();",
        f"CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
    ]
    backwards = [f"DROP TRIGGER {prefix}_no_truncate ON {table};", f"DROP TRIGGER {function} ON {table};",
                 f"DROP FUNCTION {function}();"]
    return forwards, backwards


def append_only(table: str, *, prefix: str) -> migrations.RunPython:
    """Triggers named `<prefix>_…` refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL) on `table`."""

    def statements(schema_editor: Any, index: int) -> list[str]:
        build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
        return build(table, prefix)[index]

    def forwards(apps: Any, schema_editor: Any) -> None:
        for sql in statements(schema_editor, 0):
            schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for sql in statements(schema_editor, 1):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards)
