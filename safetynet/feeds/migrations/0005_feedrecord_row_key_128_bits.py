"""row_key is now the first 128 bits (32 hex digits) of the same SHA-256: stored keys are cut to match, so a file
imported before this change still counts as already imported. Keys that are not 64-digit hashes are left alone.
Irreversible: the cut digits are gone (and older code would compute 64-digit keys again).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("feeds", "0004_feedrecord_id_number_unindexed"),
    ]

    operations = [
        migrations.RunSQL(
            sql="UPDATE feeds_feedrecord SET row_key = substr(row_key, 1, 32) WHERE length(row_key) = 64",
            reverse_sql=None,
        ),
    ]
