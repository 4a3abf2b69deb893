from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("plans/<int:plan_id>/tableau-de-bord/", views.pole, name="pole"),
    path("plans/<int:plan_id>/reddition/", views.pole_export, name="pole_export"),
    path("national/", views.national, name="national"),
    path("national/reddition/", views.national_export, name="national_export"),
    path("indicateurs/<int:indicator_id>/", views.indicator_detail, name="indicator"),
]
