from django.urls import include, path
from django.views.generic import RedirectView

from nrm.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.SignInView.as_view(), name="login"),
    path("account/logout/", views.sign_out, name="logout"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("admin/login/", RedirectView.as_view(pattern_name="web:login", query_string=True)),
    path("i18n/", include("django.conf.urls.i18n")),
]
