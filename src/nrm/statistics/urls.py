from django.urls import path

from nrm.statistics import views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.dashboard, name="dashboard"),
    path("statistics/report/<int:year>/", views.annual_report, name="annual_report"),
    path("statistics/action-plan/", views.action_plan, name="action_plan"),
]
