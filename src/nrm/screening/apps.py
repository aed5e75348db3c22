from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.screening"
    label = "screening"
