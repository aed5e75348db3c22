from django.urls import path

from nrm.referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/inbox/", views.inbox, name="inbox"),
    path("referrals/<int:referral_id>/answer/", views.answer, name="answer"),
    path("referrals/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
    path("referrals/goals/<int:goal_id>/", views.goal_status, name="goal_status"),
    path("cases/<int:case_id>/referrals/", views.case_page, name="case"),
    path("cases/<int:case_id>/referrals/consents/", views.consent_add, name="consent_add"),
    path("cases/<int:case_id>/referrals/send/", views.referral_add, name="referral_add"),
    path("cases/<int:case_id>/referrals/goals/", views.goal_add, name="goal_add"),
]
