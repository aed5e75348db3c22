"""Model fields whose values are encrypted in the database (AES-256-GCM).

Each value is bound to its column (the column's label is the associated data), so a
ciphertext copied into another column or table does not decrypt. Lookups other than
`isnull` are refused: an encrypted column can't be searched, and a query that tried would
silently find nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.lookups import IsNull, StartsWith

from nrm.crypto.keyring import keyring


class RawStartsWith(StartsWith):
    """Compares the stored ciphertext itself (its key id prefix), for key rotation only.

    Reached as `field__raw_startswith`; it keeps StartsWith's SQL, and StartsWith never
    passes its argument through the field's encryption.
    """


class EncryptedMixin:
    encrypted = True
    label: str

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        self.label = f"{cls._meta.label_lower}.{name}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "raw_startswith":
            return RawStartsWith
        raise FieldError(
            f"{self.label} is encrypted and cannot be searched by value ({lookup_name!r}); "
            "find people by their keyed match hash instead"
        )

    def get_transform(self, name: str) -> Any:
        return None

    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> Any:
        return text

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.deserialise(keyring().decrypt(value, label=self.label))

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None or value == "":
            return None
        return keyring().encrypt(self.serialise(value), label=self.label)


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Free text or a short identifier (names, contact, documents, testimony)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value: Any) -> str | None:
        return EncryptedMixin.get_prep_value(self, value)


class EncryptedDateField(EncryptedMixin, models.TextField):
    """A date (birth date) kept as encrypted ISO text; Python sees a datetime.date."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def serialise(self, value: Any) -> str:
        return value.isoformat()

    def deserialise(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)", code="invalid") from None

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        if value is None:
            return None
        return keyring().encrypt(self.serialise(value), label=self.label)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
