"""The table of the shared cache that counts duplicate checks per official.

The counts must be shared by every server process: a per-process cache let each worker
count on its own, so the limits multiplied with the workers (issue 7, finding 6).
"""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS nrm_cache")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0003_encrypt_kept_free_text")]
    operations = [migrations.RunPython(create, drop)]
