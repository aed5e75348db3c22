"""The shipped ILO/EC 2009 indicator list, in force until the Government adopts its own (Art. 12.2)."""

from django.db import migrations


def load(apps, schema_editor):
    from nrm.screening.listfile import SHIPPED, read
    from nrm.screening.store import list_store

    list_store(
        read(SHIPPED),
        status="adopted",
        list_model=apps.get_model("screening", "IndicatorList"),
        indicator_model=apps.get_model("screening", "Indicator"),
    )


def unload(apps, schema_editor):
    IndicatorList = apps.get_model("screening", "IndicatorList")
    Indicator = apps.get_model("screening", "Indicator")
    shipped = IndicatorList.objects.filter(code="ilo-eu-2009", version="2009-09")
    Indicator.objects.filter(indicator_list__in=shipped).delete()
    shipped.delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
