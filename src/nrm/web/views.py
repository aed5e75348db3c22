from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from nrm.audit.services import record
from nrm.authorities import access
from nrm.web.middleware import second_factor_done


class SignInView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The admin sends an official who is not staff to sign in, and signing in sends a
        # signed-in official back to where they came from: the two looped for ever. Say why.
        if (request.user.is_authenticated and not request.user.is_staff
                and self.get_redirect_url().startswith("/admin/")):
            raise PermissionDenied(_("Your account has no access to the administration."))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(actor=form.get_user(), action="login", detail={"second_factor": "pending"})
        return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(actor=request.user, action="logout")
    logout(request)
    return redirect("web:login")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if second_factor_done(request):
        return redirect("web:home")
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                otp_login(request, device)
                record(actor=user, action="login.second_factor",
                       detail={"enrolled": enrolling})
            return redirect("web:home")
        form.add_error("token", _("That code is not right, or it has expired. Try the current one."))
    context: dict[str, Any] = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        context["secret"] = _base32(device.bin_key)
    return render(request, "web/two_factor.html", context)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def _held(user: Any) -> list[dict[str, Any]]:
    """The memberships in force, as the access layer reads them, with their institutions."""
    from nrm.authorities.models import Institution

    held = access.held(user)
    institutions = Institution.objects.in_bulk({a.institution_id for a in held})
    return [{"role": a.role.label, "institution": institutions[a.institution_id]} for a in held]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "memberships": _held(user),
        "case_count": access.cases(user).count(),
        "may_see_statistics": access.allows(user, access.Action.VIEW, access.Kind.STATISTICS),
        "may_audit": access.allows(user, access.Action.VIEW, access.Kind.AUDIT_LOG),
    }
    return render(request, "web/home.html", context)
