"""Free text an earlier import kept in plain JSON (places and organisations in
HtcdsFields.values) moves into the encrypted HtcdsFields.text (issue 7, finding 7)."""

import json

from django.db import migrations

# The HTCDS free-text fields once kept as plain values; listed here, not imported from
# htcds.py, so the migration means the same whatever the mapping becomes.
MOVED = ("vic_LocationOfRecruitment", "vic_LocationOfExploitation",
         "cas_ReferringOrganisation", "cas_ReferredOrganisation")


def encrypt_kept_free_text(apps, schema_editor):
    HtcdsFields = apps.get_model("exchange", "HtcdsFields")
    for kept in HtcdsFields.objects.all().iterator():
        moved = {name: kept.values.pop(name) for name in MOVED if name in kept.values}
        if not moved:
            continue
        text = json.loads(kept.text) if kept.text else {}
        text.update({name: value for name, value in moved.items() if value})
        kept.text = json.dumps(text) if text else None
        kept.save(update_fields=["values", "text"])


def decrypt_kept_free_text(apps, schema_editor):
    HtcdsFields = apps.get_model("exchange", "HtcdsFields")
    for kept in HtcdsFields.objects.exclude(text__isnull=True).iterator():
        text = json.loads(kept.text)
        moved = {name: text.pop(name) for name in MOVED if name in text}
        if moved:
            kept.values.update(moved)
            kept.text = json.dumps(text) if text else None
            kept.save(update_fields=["values", "text"])


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_importjob_importjobrow")]

    operations = [migrations.RunPython(encrypt_kept_free_text, decrypt_kept_free_text)]
