"""An indicator list's title in Albanian and Serbian, and the shipped list's Albanian and
Serbian texts for an installation that loaded it before they existed (issue 10, item 7)."""

from django.db import migrations, models


def translate_shipped(apps, schema_editor):
    from nrm.screening.listfile import SHIPPED, read

    IndicatorList = apps.get_model("screening", "IndicatorList")
    Indicator = apps.get_model("screening", "Indicator")
    spec = read(SHIPPED)
    titles = spec.titles or {}
    texts = {i.code: i.text for i in spec.indicators}
    for shipped in IndicatorList.objects.filter(code=spec.code, version=spec.version):
        shipped.title_sq, shipped.title_sr = titles.get("sq", ""), titles.get("sr", "")
        shipped.source = spec.source
        shipped.save(update_fields=["title_sq", "title_sr", "source"])
        for indicator in Indicator.objects.filter(indicator_list=shipped):
            text = texts.get(indicator.code, {})
            indicator.text_sq, indicator.text_sr = text.get("sq", ""), text.get("sr", "")
            indicator.save(update_fields=["text_sq", "text_sr"])


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_shipped_indicator_list")]

    operations = [
        migrations.AddField(
            model_name="indicatorlist", name="title_sq",
            field=models.CharField(blank=True, max_length=300, verbose_name="title in Albanian"),
        ),
        migrations.AddField(
            model_name="indicatorlist", name="title_sr",
            field=models.CharField(blank=True, max_length=300, verbose_name="title in Serbian (Latin)"),
        ),
        migrations.RunPython(translate_shipped, migrations.RunPython.noop),
    ]
