from __future__ import annotations

from typing import Any

from nrm.authorities.roles import InstitutionKind
from nrm.authorities.seed import AUTHORITIES


def seed_authorities(institution_model: Any = None) -> None:
    """Create the Article 6 authorities that are missing; used by a migration and by reset."""
    if institution_model is None:
        from nrm.authorities.models import Institution as institution_model
    for code, article, name, name_sq, name_sr in AUTHORITIES:
        institution_model.objects.get_or_create(
            code=code,
            defaults={"article": article, "name": name, "name_sq": name_sq, "name_sr": name_sr,
                      "kind": InstitutionKind.AUTHORITY.value},
        )
