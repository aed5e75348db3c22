from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("api/v1/", include("nrm.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the same door as everyone: password, lockout, second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="web:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("nrm.web.urls")),
    # Each domain app's pages live in its own urls.py.
    path("", include("nrm.cases.urls")),
    path("", include("nrm.screening.urls")),
    path("", include("nrm.referrals.urls")),
    path("", include("nrm.returns.urls")),
    path("", include("nrm.shelters.urls")),
    path("", include("nrm.proceedings.urls")),
    path("", include("nrm.statistics.urls")),
    path("", include("nrm.compensation.urls")),
]
