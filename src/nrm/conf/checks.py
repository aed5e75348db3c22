"""Deployment checks of what is in the database, not only of the settings.

`nrm check --deploy` runs them, and so does `nrm serve` under the production settings,
which then refuses to start on an error (registered by the demo app, whose users they find).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError, connection, models

from nrm.demo import data

# Argon2 takes about 0.2 s a password by design, at every start of the server: the accounts
# most likely to hold the demo password are checked first (see _candidates), up to this many.
PASSWORD_CHECKS = 25


def demo_accounts(**kwargs: Any) -> list[checks.CheckMessage]:
    """Demo accounts, and accounts that sign in with the demo password, published in the
    README and printed by `nrm demo`, must not exist where real victims' data is kept."""
    from nrm.authorities.models import User

    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: no account at all
        demo = sorted(User.objects.filter(is_demo=True).values_list("username", flat=True))
        candidates = list(_candidates(User))
        total = User.objects.filter(is_active=True, is_demo=False).count()
    except DatabaseError as error:
        return [checks.Warning(f"Could not look for demo accounts: {error}", id="nrm.W101")]
    found: list[checks.CheckMessage] = []
    if demo:
        found.append(checks.Error(
            f"Demo accounts exist: {', '.join(demo)}.",
            hint="They were made by `nrm demo` and sign in with the published demo password. "
                 "Delete them, or serve this database only with NRM_DEMO=1 and no real data.",
            id="nrm.E101",
        ))
    weak = [user.username for user in candidates if check_password(data.DEMO_PASSWORD, user.password)]
    if weak:
        found.append(checks.Error(
            f"Accounts whose password is the demo password: {', '.join(sorted(weak))}.",
            hint="The demo password is published. Set each of them a new password "
                 "(`nrm changepassword USERNAME`).",
            id="nrm.E102",
        ))
    if total > len(candidates):
        found.append(checks.Info(
            f"Checked {len(candidates)} of {total} active accounts against the demo password: "
            "demo usernames, staff and the most recently joined first.",
            id="nrm.I101",
        ))
    return found


def _candidates(user_model: Any) -> Any:
    # The demo names first (an account re-created by hand under one), then staff (who can
    # change others' roles), then the newest accounts; demo accounts are reported already.
    return (
        user_model.objects.filter(is_active=True, is_demo=False)
        .annotate(priority=models.Case(
            models.When(username__in=[name for name, _, _ in data.USERS], then=0),
            models.When(models.Q(is_staff=True) | models.Q(is_superuser=True), then=1),
            default=2,
        ))
        .order_by("priority", "-date_joined", "-pk")
        .only("username", "password")[:PASSWORD_CHECKS]
    )
