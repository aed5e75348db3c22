"""The Commission's reference data in the admin: members' terms (42.7, 42.8) and the dated
deadline parameters (44.1, 42.9.4). Neither holds victims' data. Who may use it is the
access policy's answer for reference data; a term is recorded through the service, so it
is checked and audited like any other write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from nrm.audit.services import record
from nrm.authorities.admin import PolicyPermissions
from nrm.compensation import services
from nrm.compensation.models import CommissionMember, DeadlineParameter
from nrm.errors import DomainError


@admin.register(CommissionMember)
class CommissionMemberAdmin(PolicyPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "commission", "term_start", "term_end", "chair")
    list_filter = ("commission",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Who and from when is the appointment itself; a new appointment is a new term.
        return ("commission", "user", "term_start") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        if change:
            obj.save(update_fields=["term_end", "chair"])
            record(actor=request.user, action="update", record_type="compensation.member", records=[obj],
                   fields=sorted(form.changed_data))
            return
        try:
            made = services.member_appoint(actor=request.user, commission=obj.commission, user=obj.user,
                                           term_start=obj.term_start, term_end=obj.term_end, chair=obj.chair)
        except DomainError as exc:
            messages.error(request, str(exc))
            return
        obj.pk = made.pk


@admin.register(DeadlineParameter)
class DeadlineParameterAdmin(PolicyPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "valid_from", "days", "source")
    list_filter = ("name",)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        super().save_model(request, obj, form, change)
        record(actor=request.user, action="update" if change else "create",
               record_type="compensation.deadline", records=[obj], fields=sorted(form.changed_data))
