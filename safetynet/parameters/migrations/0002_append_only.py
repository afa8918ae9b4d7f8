"""Make administrator-added parameter values append-only at the database level, on SQLite and PostgreSQL.

A corrected figure is a new dated row; the old one stays, so past assessments remain explainable.
"""

from django.db import migrations

TABLE = "parameters_parametervalue"
MESSAGE = f"{TABLE} is append-only"

SQLITE = [
    f"""CREATE TRIGGER parameter_value_no_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER parameter_value_no_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER parameter_value_no_update;", "DROP TRIGGER parameter_value_no_delete;"]

POSTGRES = [
    f"""CREATE FUNCTION parameter_value_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER parameter_value_append_only BEFORE UPDATE OR DELETE ON {TABLE}
       FOR EACH ROW EXECUTE FUNCTION parameter_value_append_only();""",
    f"""CREATE TRIGGER parameter_value_no_truncate BEFORE TRUNCATE ON {TABLE}
       FOR EACH STATEMENT EXECUTE FUNCTION parameter_value_append_only();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER parameter_value_no_truncate ON {TABLE};",
    f"DROP TRIGGER parameter_value_append_only ON {TABLE};",
    "DROP FUNCTION parameter_value_append_only();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("parameters", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
