"""Writing a checked list file into the database; shared by the data migration and the
`indicators load` service, so the shipped list and a Government list are stored alike.

Takes the model classes as arguments so a migration can pass its historical models.
"""

from __future__ import annotations

from typing import Any

from nrm.screening.listfile import ListSpec


def list_store(spec: ListSpec, *, status: str, list_model: Any = None,
               indicator_model: Any = None) -> Any:
    if list_model is None or indicator_model is None:
        from nrm.screening.models import Indicator as indicator_model
        from nrm.screening.models import IndicatorList as list_model
    titles = spec.titles or {"en": spec.title}
    # A migration before 0003 passes a model without the translated titles.
    translated = {f"title_{lang}": titles.get(lang, "") for lang in ("sq", "sr")
                  if any(f.name == f"title_{lang}" for f in list_model._meta.get_fields())}
    indicator_list = list_model.objects.create(
        code=spec.code, version=spec.version, title=spec.title, source=spec.source,
        adopted_on=spec.adopted_on, status=status, dimensions=spec.dimensions, rule=spec.rule,
        **translated,
    )
    indicator_model.objects.bulk_create(
        indicator_model(
            indicator_list=indicator_list, code=i.code, dimension=i.dimension,
            strength=i.strength, audience=i.audience, exploitation=i.exploitation,
            text=i.text["en"], text_sq=i.text.get("sq", ""), text_sr=i.text.get("sr", ""),
        )
        for i in spec.indicators
    )
    return indicator_list
