from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.api"
    label = "api"
