from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.authorities.models import User
from nrm.authorities.tokens import token_create


class Command(BaseCommand):
    help = "API bearer tokens: `nrm token create --user NAME` prints a new token once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it.")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument("--days", type=int, default=30, help="days until it expires (30)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user named {options['user']!r}")
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days must be between 1 and 366")
        self.stdout.write(token_create(user=user, name=options["name"], days=options["days"]))
