from django.urls import path

from nrm.returns import views

app_name = "returns"

urlpatterns = [
    path("foreigners/", views.officer, name="officer"),
    path("foreigners/removal-check/", views.check, name="check"),
    path("cases/<int:case_id>/returns/", views.case_page, name="case"),
    path("cases/<int:case_id>/returns/<slug:form_name>/", views.case_post, name="case_post"),
    path("returns/<int:plan_id>/carried-out/", views.carry_out, name="carry_out"),
    path("returns/<int:plan_id>/checks/", views.return_checks, name="return_checks"),
    path("cooperation-requests/<int:request_id>/answer/", views.cooperation_answer,
         name="cooperation_answer"),
    path("consular-assistance/<int:assistance_id>/", views.consular_update, name="consular_update"),
]
