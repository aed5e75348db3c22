"""Keep the removal check's document keys for every person, not only those this app wrote
for: run after an import, or nightly. The numbers are read decrypted in memory and only
their keyed hashes are stored (nrm.returns.models.DocumentKey)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from nrm.audit.services import record_system
from nrm.cases.models import Person
from nrm.returns.models import DocumentKey
from nrm.returns.services import DOCUMENT, document_key, document_normalise


class Command(BaseCommand):
    help = "Refresh the removal check's keyed hashes of document numbers for every person."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="Persons read per batch")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        last, kept = 0, 0
        while True:
            people = list(Person.objects.filter(pk__gt=last).order_by("pk")
                          .only("pk", "document_number")[:batch])
            if not people:
                break
            last = people[-1].pk
            keys = {}
            for person in people:
                number = document_normalise(person.document_number or "")
                if DOCUMENT.match(number):
                    keys[person.pk] = document_key(number)
            with transaction.atomic():
                DocumentKey.objects.filter(person_id__in=[p.pk for p in people]).exclude(
                    person_id__in=list(keys)).delete()
                DocumentKey.objects.bulk_create(
                    [DocumentKey(person_id=pk, key=key) for pk, key in keys.items()],
                    update_conflicts=True, unique_fields=["person"], update_fields=["key"])
            kept += len(keys)
        record_system(action="returns.document_keys", detail={"persons_with_a_key": kept})
        self.stdout.write(f"{kept} document keys kept")
