from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.demo"
    label = "demo"

    def ready(self) -> None:
        from django.core import checks

        from nrm.conf.checks import demo_accounts

        # A deployment check: it reads the database, so it runs on `check --deploy` and at
        # the start of `nrm serve` in production, not before every management command.
        checks.register(demo_accounts, checks.Tags.security, deploy=True)
