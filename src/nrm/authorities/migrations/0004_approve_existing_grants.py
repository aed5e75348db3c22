"""Memberships held before grants needed approval are treated as approved at migration time.

Nobody approved them, so approved_by stays empty; approved_at (and granted_at) is the moment
this migration ran, which the review list shows. So that none of them lasts for ever, every
such grant of a role that opens personal data ends a year from now (the default of
NRM_GRANT_MAX_DAYS, fixed here so that the migration always means the same) and must then be
requested and approved again.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

LEGACY_GRANT_DAYS = 365
OPEN_ENDED_ROLES = ["auditor", "system_admin"]  # as in authorities/models.py on this date


def approve_existing(apps, schema_editor):
    membership = apps.get_model("authorities", "Membership")
    now = timezone.now()
    legacy = membership.objects.filter(approved_at__isnull=True)
    legacy.update(granted_at=now, approved_at=now)
    legacy_personal = membership.objects.filter(expires_on__isnull=True).exclude(role__in=OPEN_ENDED_ROLES)
    legacy_personal.update(expires_on=timezone.localdate() + timedelta(days=LEGACY_GRANT_DAYS))


class Migration(migrations.Migration):

    dependencies = [
        ("authorities", "0003_grant_fields"),
    ]

    operations = [
        migrations.RunPython(approve_existing, migrations.RunPython.noop),
    ]
