from django.urls import path

from nrm.web import acting, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.SignInView.as_view(), name="login"),
    path("account/logout/", views.sign_out, name="logout"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/acting-as/", acting.act_as, name="act_as"),
]
