"""Audit events: who, as which institution and role, did what to which record, why, when.

Events name records and fields, never their values: the log must not become a second
copy of the personal data it protects. Rows are only ever added; each carries the seal of
the one before, and a single head row seals the end of the chain so that removing the
last entries is detected too.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are never deleted")


class AuditEvent(models.Model):
    # Numbered by the chain itself (head.last_id + 1) under the head's lock, so that the
    # number is part of what is sealed and a re-ordering shows.
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    institution = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40)
    record_type = models.CharField(max_length=60, blank=True)
    record_ids = models.JSONField(default=list, blank=True)
    fields = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record_type", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.record_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"audit event #{self.pk} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"audit event #{self.pk} cannot be deleted")


class AuditHead(models.Model):
    """The sealed end of the chain; its row lock also serialises writers of the chain."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    seal = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_id}"
