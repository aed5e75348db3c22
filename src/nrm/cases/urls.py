from django.urls import path

from nrm.cases import views

app_name = "cases"

urlpatterns = [
    path("duties/", views.duty_list, name="duties"),
    path("duties/<int:duty_id>/complete/", views.duty_complete, name="duty_complete"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/decisions/", views.case_decide, name="decide"),
    path("cases/<int:case_id>/facts/", views.case_facts, name="facts"),
    path("cases/<int:case_id>/rights/", views.rights_record, name="rights"),
    path("cases/<int:case_id>/duties/<int:duty_id>/complete/", views.case_duty_complete,
         name="case_duty_complete"),
]
