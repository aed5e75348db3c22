"""Shelters and centres (Art. 23, 33, 38.7-38.8): their addresses are need-to-know (18.4)."""
from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.shelters"
    label = "shelters"

    def ready(self) -> None:
        # The stays recorded here are the law's `case.accommodation`: one owner of the fact.
        from nrm.cases.legal import TEAM_NOTICES, duty_source_register, fact_provider_register
        from nrm.shelters.duties import SOURCE
        from nrm.shelters.facts import PROVIDER

        fact_provider_register(PROVIDER)
        # The shelter's duty before the stay's lawful end the engine computes from that fact.
        duty_source_register(SOURCE)
        # A case team's notice beside the law's violations: its provider lost its licence.
        TEAM_NOTICES.setdefault("provider_unlicensed", "33.3")
