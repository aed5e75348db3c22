from django.urls import path

from nrm.shelters import views

app_name = "shelters"

urlpatterns = [
    path("shelters/", views.shelter_list, name="list"),
    path("shelters/board/", views.national_board, name="national"),
    path("shelters/security/", views.security_requests, name="security"),
    path("shelters/<int:shelter_id>/", views.shelter_detail, name="detail"),
]
