"""Make the audit table append-only at the database level, on SQLite and PostgreSQL."""

from django.db import migrations

from safetynet.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only("audit_auditevent", prefix="audit_event")]
