"""The eighteen competent authorities of Article 6.1."""

from django.db import migrations


def seed(apps, schema_editor):
    from nrm.authorities.seeding import seed_authorities

    seed_authorities(apps.get_model("authorities", "Institution"))


class Migration(migrations.Migration):
    dependencies = [("authorities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
