from django.urls import path

from nrm.compensation import views

app_name = "compensation"

urlpatterns = [
    path("compensation/", views.queue, name="queue"),
    path("compensation/sessions/<int:session_id>/", views.session_page, name="session"),
    path("compensation/sessions/<int:session_id>/act/", views.session_act, name="session_act"),
    path("compensation/claims/<int:claim_id>/", views.claim_page, name="claim"),
    path("compensation/claims/<int:claim_id>/act/", views.claim_act, name="claim_act"),
    path("cases/<int:case_id>/compensation/new/", views.claim_new, name="claim_new"),
]
