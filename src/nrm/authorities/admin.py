"""The admin site manages reference data only: institutions, officials and their roles.

No model that holds victims' data is registered here, and a test keeps it that way. Who
may use the admin is the access policy's answer for reference data, not Django's
per-model permissions. Role grants are the exception that proves it: they are asked for,
approved and revoked only through authorities/services.py, and their review list is open,
read-only, to auditors and to heads of institution too.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import ApiToken, Institution, Membership, User
from nrm.authorities.roles import Role
from nrm.authorities.services import (
    grant_approve,
    grant_check,
    grant_request,
    grant_revoke,
    headed_institutions,
)
from nrm.errors import DomainError


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


STATES = {"pending": _("pending approval"), "in_force": _("in force"),
          "expired": _("expired"), "revoked": _("revoked")}
EXPIRING_DAYS = 30  # the review list's "expiring" filter looks this far ahead


def _grant_state(grant: Membership) -> str:
    return str(STATES[grant.state(timezone.localdate())])


class GrantRequestFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """New rows are requests: the services' own check reports what they would refuse."""

    actor: Any = None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.instance.pk or not form.has_changed() or not form.is_valid():
                continue
            data = form.cleaned_data
            if data.get("DELETE") or not data.get("institution"):
                continue
            try:
                grant_check(actor=self.actor, user=self.instance, institution=data["institution"],
                            role=data["role"], expires_on=data.get("expires_on"),
                            heads_institution=bool(data.get("heads_institution")))
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)


class MembershipInline(PolicyPermissions, admin.TabularInline):  # type: ignore[type-arg]
    """An official's grants: those made are shown as they stand, a new row is a request that
    a second person approves in the grants list. An administrator adds nothing to their own
    account."""

    model = Membership
    fk_name = "user"
    formset = GrantRequestFormSet
    extra = 0
    autocomplete_fields = ["institution"]
    fields = ["institution", "role", "heads_institution", "expires_on", "state", "granted_by",
              "approved_by"]
    readonly_fields = ["state", "granted_by", "approved_by"]

    @admin.display(description=_("state"))
    def state(self, obj: Membership) -> str:
        return _grant_state(obj) if obj.pk else ""

    def get_queryset(self, request: HttpRequest) -> Any:
        return Membership.grants.select_related("institution", "granted_by", "approved_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        own_account = obj is not None and obj.pk == request.user.pk
        return not own_account and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a grant is approved or revoked in the grants list, never edited

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})


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
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Never formset.save(): a new row becomes a request through the service (audited
        # there), and existing grants are not edited here at all.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.instance.pk or not row.has_changed() or row.cleaned_data.get("DELETE"):
                continue
            data = row.cleaned_data
            formset.new_objects.append(grant_request(
                actor=cast(User, request.user), user=form.instance, institution=data["institution"],
                role=data["role"], expires_on=data.get("expires_on"),
                heads_institution=bool(data.get("heads_institution"))))
            messages.info(request, _("%(role)s at %(institution)s for %(user)s waits for a second "
                                     "person's approval in the grants list")
                          % {"role": Role(data["role"]).label, "institution": data["institution"].code,
                             "user": form.instance.username})

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Nobody sets another official's password here: an administrator who could would
        sign in as that official, with their roles, past the two-person rule for grants.
        Officials change their own; a forgotten one is reset by deactivating the account and
        granting anew. Changing one's own is audited."""
        from django.core.exceptions import PermissionDenied

        if str(id) != str(request.user.pk):
            record(actor=request.user, action="denied", record_type="authorities.user",
                   records=[id], purpose="password change for another official")
            raise PermissionDenied(_("you may not set another official's password"))
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and getattr(response, "status_code", 200) == 302:
            record(actor=request.user, action="official.password", record_type="authorities.user",
                   records=[id], fields=["password"])
        return response

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


def _reviews_grants(request: HttpRequest) -> bool:
    """System administrators and auditors review every grant; a head, their institution's."""
    return (_may(request, access.Action.CHANGE)
            or access.national_allows(request.user, access.Action.VIEW, access.Kind.AUDIT_LOG)
            or bool(headed_institutions(request.user)))


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("pending", STATES["pending"]), ("in_force", STATES["in_force"]),
                ("expiring", _("in force, ending within %(days)s days") % {"days": EXPIRING_DAYS}),
                ("expired", STATES["expired"]), ("revoked", STATES["revoked"])]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        return {
            "pending": lambda: queryset.pending().exclude(expires_on__lt=today),
            "in_force": lambda: queryset.in_force(today),
            "expiring": lambda: queryset.expiring(today, EXPIRING_DAYS),
            "expired": lambda: queryset.expired(today),
            "revoked": lambda: queryset.revoked(),
        }.get(self.value() or "", lambda: queryset)()


@admin.register(Membership)
class GrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every grant, whatever its state, for review. Read-only: a grant changes only by the
    approve and revoke actions, which go through the services."""

    list_display = ["user", "institution", "role", "heads_institution", "state", "granted_by",
                    "granted_at", "approved_by", "approved_at", "expires_on", "revoked_by",
                    "revoked_at"]
    list_filter = [StateFilter, "role", "heads_institution", "institution"]
    search_fields = ["user__username", "institution__code"]
    list_select_related = ["user", "institution", "granted_by", "approved_by", "revoked_by"]
    actions = ["approve", "revoke"]

    @admin.display(description=_("state"))
    def state(self, obj: Membership) -> str:
        return _grant_state(obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        grants = Membership.grants.select_related(*self.list_select_related)
        if _may(request, access.Action.CHANGE) or access.national_allows(
                request.user, access.Action.VIEW, access.Kind.AUDIT_LOG):
            return grants
        return grants.filter(institution_id__in=headed_institutions(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _reviews_grants(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _reviews_grants(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # asked for on the official's page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: the review keeps every grant

    def has_decide_permission(self, request: HttpRequest) -> bool:
        # Who may decide which grant is the services' answer, grant by grant.
        return _may(request, access.Action.CHANGE) or bool(headed_institutions(request.user))

    def _each(self, request: HttpRequest, queryset: Any, service: Any, done: Any) -> None:
        for grant in queryset:
            try:
                service(actor=request.user, grant=grant)
            except DomainError as error:
                self.message_user(request, f"{grant}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, done % {"grant": str(grant)}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected grants"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._each(request, queryset, grant_approve, _("%(grant)s approved: in force"))

    @admin.action(description=_("Revoke the selected grants"), permissions=["decide"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        self._each(request, queryset, grant_revoke, _("%(grant)s revoked"))


def _site_permission(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff) and (
        _may(request, access.Action.VIEW) or _reviews_grants(request))


# The whole admin, not only each model page, answers to the policy.
admin.site.has_permission = _site_permission  # type: ignore[method-assign]
admin.site.site_header = "NRM reference data"
