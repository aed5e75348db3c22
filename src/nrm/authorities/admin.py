"""The admin site manages reference data only: institutions, officials and their roles.

No model that holds victims' data is registered here, and a test keeps it that way. Who
may use the admin is the access policy's answer for reference data, not Django's
per-model permissions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import ApiToken, Institution, Membership, User


def _may(request: HttpRequest, action: access.Action) -> bool:
    # Only those who may change reference data use the admin at all; everyone else
    # reads reference data through the pages that need it.
    return access.national_allows(request.user, access.Action.CHANGE, access.Kind.REFERENCE_DATA)


class PolicyPermissions:
    """Admin permissions answered by the access policy, not by Django's per-model ones."""

    # Reference data is retired (active = False), never deleted; an inline may say otherwise.
    deletable = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may(request, access.Action.VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.VIEW)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.CHANGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.deletable and _may(request, access.Action.CHANGE)


class ReferenceAdmin(PolicyPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


class MembershipInline(PolicyPermissions, admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]
    deletable = True  # a role ends; the audit chain keeps that it was held


@admin.register(Institution)
class InstitutionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "article", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_sq", "name_sr"]


@admin.register(User)
class OfficialAdmin(ReferenceAdmin, UserAdmin):  # type: ignore[misc]
    """Officials and their roles. A role opens personal data, so every change is audited."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(actor=request.user, action="official.change" if change else "official.create",
               record_type="authorities.user", records=[obj], fields=sorted(form.changed_data))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        before = set(Membership.objects.filter(user=form.instance).values_list("institution__code", "role"))
        super().save_formset(request, form, formset, change)
        after = set(Membership.objects.filter(user=form.instance).values_list("institution__code", "role"))
        if before != after:
            record(actor=request.user, action="official.roles", record_type="authorities.user",
                   records=[form.instance],
                   detail={"added": sorted(map(list, after - before)),
                           "removed": sorted(map(list, before - after))})

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_demo"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_demo", "last_login")}),
    )
    readonly_fields = ["last_login", "is_demo"]
    filter_horizontal = ()
    list_filter = ["is_active", "is_demo"]


class RevokeForm(forms.ModelForm):  # type: ignore[type-arg]
    revoke = forms.BooleanField(required=False, label="Revoked (cannot be undone)")

    class Meta:
        model = ApiToken
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.revoked_at is not None:
            self.fields["revoke"].initial = True
            self.fields["revoke"].disabled = True


@admin.register(ApiToken)
class ApiTokenAdmin(ReferenceAdmin):
    """Tokens can only be revoked here: re-pointing one at another official would let the
    administrator act as them without their password or second factor."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    form = RevokeForm
    fields = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoke"]
    readonly_fields = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # tokens are made by `nrm token create`, which shows them once

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from django.utils import timezone

        if form.cleaned_data.get("revoke") and obj.revoked_at is None:
            obj.revoked_at = timezone.now()
            obj.save(update_fields=["revoked_at"])
            record(actor=request.user, action="token.revoke", record_type="authorities.apitoken",
                   records=[obj], detail={"for": obj.user.username})


def _site_permission(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff) and _may(request, access.Action.VIEW)


# The whole admin, not only each model page, answers to the policy.
admin.site.has_permission = _site_permission  # type: ignore[method-assign]
admin.site.site_header = "NRM reference data"
