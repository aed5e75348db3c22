from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.returns"
    label = "returns"

    def ready(self) -> None:
        # The reflection period, removal orders, returns and consular help are this app's
        # records; the law engine reads them through the provider (docs/adding-an-app.md).
        from nrm.returns.facts import register

        register()
