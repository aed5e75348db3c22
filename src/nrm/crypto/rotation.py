"""Re-encrypt every stored value under the primary key, in small committed batches.

Safe while the system runs: every key in NRM_FIELD_KEYS still decrypts, so readers never
see a value they cannot open; each batch commits on its own, so a stop loses nothing and
a second run resumes where the first ended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from nrm.crypto.fields import encrypted_fields
from nrm.crypto.keyring import PREFIX, keyring


@dataclass
class ModelCount:
    label: str
    stale: int
    rotated: int = 0


def models_with_encrypted_fields() -> Iterator[tuple[type[models.Model], list[Any]]]:
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields:
            yield model, fields


def _stale(model: type[models.Model], fields: list[Any]) -> models.QuerySet[Any]:
    current = f"{PREFIX}${keyring().primary_id}$"
    condition = Q()
    for field in fields:
        # Compared on the raw column: an encrypted field refuses lookups by design.
        condition |= Q(**{f"{field.attname}__isnull": False}) & ~Q(
            **{f"{field.attname}__raw_startswith": current}
        )
    return model._base_manager.filter(condition)


def stale_counts() -> list[ModelCount]:
    return [
        ModelCount(model._meta.label, _stale(model, fields).count())
        for model, fields in models_with_encrypted_fields()
    ]


def rotate(batch_size: int = 500, progress: Callable[[ModelCount], None] | None = None) -> list[ModelCount]:
    results = []
    for model, fields in models_with_encrypted_fields():
        count = ModelCount(model._meta.label, _stale(model, fields).count())
        names = [f.name for f in fields]
        while True:
            with transaction.atomic():
                batch = list(
                    _stale(model, fields).select_for_update().order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                # Loading decrypts under whichever key sealed the value; saving seals
                # under the primary key.
                model._base_manager.bulk_update(batch, names)
            count.rotated += len(batch)
            if progress:
                progress(count)
        results.append(count)
    return results
