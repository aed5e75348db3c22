from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.web.middleware import ACCESS_LOG_USER

# The access log shows paths, never bodies: no personal data passes through it. It names the
# official by username, which a middleware leaves in the WSGI environ (never in the response).
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss user=%({' + ACCESS_LOG_USER + '}e)s'


class Command(BaseCommand):
    help = "Serve NRM with gunicorn, a production-grade WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="refuse to start, rather than collect, when static files are missing")

    def static_ready(self, *, collect: bool) -> None:
        """A server whose static files were never collected answered 500 on every page
        ("Missing staticfiles manifest entry"): collect them, or refuse saying what to run."""
        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.core.management import call_command

        read_manifest = getattr(staticfiles_storage, "read_manifest", None)
        if read_manifest is None:
            return
        command = "nrm collectstatic --no-input"
        if not settings.STATIC_ROOT:
            raise CommandError("NRM_STATIC_ROOT is not set: set it to a folder for the static files, "
                               f"then run `{command}`")
        if read_manifest() is not None:
            return
        if not collect:
            raise CommandError(f"the static files were never collected into {settings.STATIC_ROOT}; "
                               f"run `{command}` first")
        self.stdout.write(f"Collecting the static files into {settings.STATIC_ROOT} (never done here)")
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
        except (OSError, CommandError) as error:
            raise CommandError(f"the static files could not be collected ({error}); "
                               f"run `{command}` as a user who may write {settings.STATIC_ROOT}") from None

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["port"] <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more")
        argv = [
            sys.executable, "-m", "gunicorn", "nrm.conf.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--access-logfile", "-",
            "--access-logformat", ACCESS_LOG_FORMAT,
            "--forwarded-allow-ips", "127.0.0.1",
            # gunicorn's control socket defaults to one path for every instance of the user:
            # a second server took over the first one's. Nothing here uses it.
            "--no-control-socket",
        ]
        if getattr(settings, "NRM_PRODUCTION", False):
            # What `check --deploy` finds (demo accounts, the demo password) refuses the start:
            # raises SystemCheckError, which names each, before a request is served.
            self.check(include_deployment_checks=True)
        self.static_ready(collect=not options["no_collectstatic"])
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        self.stdout.write(f"NRM on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
