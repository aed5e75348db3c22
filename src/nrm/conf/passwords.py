"""A password validator: nobody may choose the demo password, published in the README."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nrm.demo.data import DEMO_PASSWORD


class NotTheDemoPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if password == DEMO_PASSWORD:
            raise ValidationError(_("This is the demo password, which is published."),
                                  code="password_is_demo")

    def get_help_text(self) -> str:
        return _("Your password cannot be the demo password.")
