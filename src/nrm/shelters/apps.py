from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.shelters"
    label = "shelters"
