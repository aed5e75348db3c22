from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.demo"
    label = "demo"
