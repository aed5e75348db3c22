from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.web"
    label = "web"
