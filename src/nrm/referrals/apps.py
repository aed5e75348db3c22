from django.apps import AppConfig


class Config(AppConfig):
    name = "nrm.referrals"
    label = "referrals"
