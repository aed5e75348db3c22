from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.audit import checkpoint
from nrm.audit.services import verify


class Command(BaseCommand):
    help = (
        "The audit chain: `nrm audit verify` recomputes every seal and holds the chain to its "
        "signed checkpoints; `nrm audit checkpoint` signs one; `nrm audit public-key` prints "
        "the key an auditor checks them with (docs/audit.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "verify", help="Recompute the chain and hold it to every signed checkpoint; exit 1 "
            "naming the first bad entry, a rollback or a wipe.")
        check.add_argument(
            "--checkpoints", metavar="PATH",
            help="An auditor's copy of the checkpoint file (default: NRM_AUDIT_CHECKPOINTS).")
        check.add_argument(
            "--public-key", metavar="BASE64",
            help="The public key the auditor was given; checkpoints signed by any other key fail.")
        check.add_argument(
            "--require-checkpoint", action="store_true",
            help="Fail when there is no signed checkpoint at all.")
        write = sub.add_parser(
            "checkpoint", help="Sign the chain's end now and append it to the checkpoint file.")
        write.add_argument("--checkpoints", metavar="PATH",
                           help="Where to append (default: NRM_AUDIT_CHECKPOINTS).")
        sub.add_parser("public-key", help="Print the checkpoints' Ed25519 public key (base64).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "public-key":
            self.stdout.write(checkpoint.public_key_text())
            return
        if action == "checkpoint":
            try:
                signed = checkpoint.write(options["checkpoints"])
            except checkpoint.CheckpointError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(self.style.SUCCESS(
                f"checkpoint signed: entry #{signed.sequence}, seal {signed.hash[:16]}…, "
                f"key {signed.key}, at {signed.at}"))
            return
        verdict = verify(checkpoints=options["checkpoints"], public_key=options["public_key"],
                         require_checkpoint=options["require_checkpoint"])
        if not verdict.ok:
            raise CommandError(verdict.message)
        self.stdout.write(self.style.SUCCESS(verdict.message))
