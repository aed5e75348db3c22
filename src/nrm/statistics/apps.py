from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.statistics"
    label = "statistics"
    default_auto_field = "django.db.models.BigAutoField"
