from django.urls import path

from nrm.api.app import api

urlpatterns = [path("", api.urls)]
