"""The admin site manages reference data only: institutions, officials and their roles.

No model that holds victims' data is registered here, and a test keeps it that way. Who
may use the admin is the access policy's answer for reference data, not Django's
per-model permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from nrm.authorities import access
from nrm.authorities.models import ApiToken, Institution, Membership, User


def _may(request: HttpRequest, action: access.Action) -> bool:
    # Only those who may change reference data use the admin at all; everyone else
    # reads reference data through the pages that need it.
    return access.national_allows(request.user, access.Action.CHANGE, access.Kind.REFERENCE_DATA)


class ReferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may(request, access.Action.VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.VIEW)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.CHANGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, access.Action.CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reference data is retired (active = False), never deleted


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(Institution)
class InstitutionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "article", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_sq", "name_sr"]


@admin.register(User)
class OfficialAdmin(ReferenceAdmin, UserAdmin):  # type: ignore[misc]
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


@admin.register(ApiToken)
class ApiTokenAdmin(ReferenceAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # tokens are made by `nrm token create`, which shows them once


def _site_permission(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff) and _may(request, access.Action.VIEW)


# The whole admin, not only each model page, answers to the policy.
admin.site.has_permission = _site_permission  # type: ignore[method-assign]
admin.site.site_header = "NRM reference data"
