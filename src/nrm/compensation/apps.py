from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.compensation"
    label = "compensation"

    def ready(self) -> None:
        # The claim is the source of the law's `case.compensation` fact (42, 44).
        from nrm.cases.legal import FactProvider, fact_provider_register
        from nrm.compensation.facts import read

        # The claim's harm and the proposal go only to those who may see the claim.
        fact_provider_register(FactProvider(name="compensation", facts=("compensation",), read=read,
                                            guarded_by={"compensation": "compensation_claim"}))
