"""Make administrator-added parameter values append-only at the database level, on SQLite and PostgreSQL.

A corrected figure is a new dated row; the old one stays, so past assessments remain explainable.
"""

from django.db import migrations

from safetynet.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("parameters", "0001_initial")]
    operations = [append_only("parameters_parametervalue", prefix="parameter_value")]
