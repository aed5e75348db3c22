"""Criminal proceedings and protection measures (Art. 10-19); measures are never disclosed (18.4)."""
from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.proceedings"
    label = "proceedings"

    def ready(self) -> None:
        from nrm.cases.legal import FactProvider, fact_provider_register
        from nrm.proceedings import facts

        fact_provider_register(FactProvider(name="proceedings", facts=facts.FACTS, read=facts.read))
