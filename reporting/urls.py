from django.urls import path

import indicators.converters  # noqa: F401  (registers the id, year and target_year converters)
from reporting import views

app_name = "reporting"

urlpatterns = [
    path("plans/<id:plan_id>/tableau-de-bord/", views.pole, name="pole"),
    path("plans/<id:plan_id>/reddition/", views.pole_export, name="pole_export"),
    path("national/", views.national, name="national"),
    path("national/reddition/", views.national_export, name="national_export"),
    path("indicateurs/<id:indicator_id>/", views.indicator_detail, name="indicator"),
]
