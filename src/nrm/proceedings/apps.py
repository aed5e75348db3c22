from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.proceedings"
    label = "proceedings"
