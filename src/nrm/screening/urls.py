from django.urls import path

from nrm.screening import views

app_name = "screening"

urlpatterns = [
    path("cases/<int:case_id>/screening/", views.case_screening, name="case"),
    path("screenings/<int:screening_id>/decision/", views.screening_decision, name="decision"),
]
