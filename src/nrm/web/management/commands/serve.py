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
        ]
        if getattr(settings, "NRM_PRODUCTION", False):
            # What `check --deploy` finds (demo accounts, the demo password) refuses the start:
            # raises SystemCheckError, which names each, before a request is served.
            self.check(include_deployment_checks=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        self.stdout.write(f"NRM on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
