from django.urls import path

from nrm.proceedings import views

app_name = "proceedings"

urlpatterns = [
    path("proceedings/", views.home, name="home"),
    path("proceedings/<int:proceeding_id>/", views.detail, name="detail"),
    path("proceedings/non-punishment-alerts/", views.alerts, name="alerts"),
    path("proceedings/notices/<int:notice_id>/inform/", views.inform, name="inform"),
    path("cases/<int:case_id>/justice/", views.case_page, name="case"),
]
