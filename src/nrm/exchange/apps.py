from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.exchange"
    label = "exchange"
    verbose_name = "Case data exchange (HTCDS 2.0) and duplicates"
