"""Where the person was identified (Case.region) and the age band on the registration day
(Case.age_group), for the National Reporter's tables (issue 15).

The backfill reads the birth date through the historical model. That decrypts: the
historical Person's birth_date is the same nrm.crypto.fields.EncryptedDateField, whose
associated data is the column's label ("cases.person.birth_date", from the app label and
model name, which a historical model keeps), so no management command through the real
model is needed (tests/cases/test_age_group_region.py runs this function on a real
ciphertext). The bands are written out here rather than imported from
nrm.cases.services, so that this migration means the same whatever the services become.
"""

import datetime

from django.db import migrations, models
from django.utils import timezone

# The first age no longer in each band; 50 and over is "50+".
BANDS = ((12, "0-11"), (18, "12-17"), (25, "18-24"), (35, "25-34"), (50, "35-49"))
BATCH = 2000


def band(born: datetime.date | None, on: datetime.date) -> str:
    if born is None or born > on:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next((name for limit, name in BANDS if age < limit), "50+")


def age_groups_backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    moved = []
    cases = Case.objects.select_related("person").only("pk", "created_at", "age_group",
                                                       "person__birth_date")
    for case in cases.iterator(chunk_size=BATCH):
        group = band(case.person.birth_date, timezone.localdate(case.created_at))
        if group != case.age_group:
            case.age_group = group
            moved.append(case)
        if len(moved) >= BATCH:
            Case.objects.bulk_update(moved, ["age_group"])
            moved = []
    Case.objects.bulk_update(moved, ["age_group"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_decision_role_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='age_group',
            field=models.CharField(choices=[('0-11', '0-11'), ('12-17', '12-17'), ('18-24', '18-24'), ('25-34', '25-34'), ('35-49', '35-49'), ('50+', '50+'), ('unknown', 'Unknown')], default='unknown', editable=False, max_length=7),
        ),
        migrations.AddField(
            model_name='case',
            name='region',
            field=models.CharField(blank=True, choices=[('prishtina', 'Prishtinë/Priština'), ('mitrovica', 'Mitrovicë/Mitrovica'), ('peja', 'Pejë/Peć'), ('prizren', 'Prizren'), ('ferizaj', 'Ferizaj/Uroševac'), ('gjilan', 'Gjilan/Gnjilane'), ('gjakova', 'Gjakovë/Đakovica'), ('abroad', 'Abroad')], max_length=12, verbose_name='region where identified'),
        ),
        # Backwards the columns are dropped, so there is nothing to undo.
        migrations.RunPython(age_groups_backfill, migrations.RunPython.noop),
    ]
