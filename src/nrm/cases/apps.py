from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.cases"
    label = "cases"
