"""Criminal proceedings and protection measures (Art. 10-19); measures are never disclosed (18.4)."""
from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.proceedings"
    label = "proceedings"

    def ready(self) -> None:
        from nrm.cases.legal import FactProvider, fact_provider_register
        from nrm.proceedings import facts

        # Only the justice team sees a proceeding or an interview: what the legal state owes
        # to either is withheld from the case's other readers.
        fact_provider_register(FactProvider(
            name="proceedings", facts=facts.FACTS, read=facts.read,
            guarded_by={"proceedings": "proceeding", "interviews": "interview"}))
