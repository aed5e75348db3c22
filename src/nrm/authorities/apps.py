from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthoritiesConfig(AppConfig):
    name = "nrm.authorities"
    label = "authorities"
    verbose_name = _("Institutions and people")
