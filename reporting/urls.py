from django.urls import path

import indicators.converters  # noqa: F401  (registers the id, year and target_year converters)
from reporting import views

app_name = "reporting"

urlpatterns = [
    path("plans/<id:plan_id>/tableau-de-bord/", views.pole, name="pole"),
    path("plans/<id:plan_id>/reddition/", views.pole_export, name="pole_export"),
    path("plans/<id:plan_id>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("plans/<id:plan_id>/depots/", views.filings, name="filings"),
    path("depots/fichiers/<id:file_id>/", views.filed_file, name="filed_file"),
    path("national/", views.national, name="national"),
    path("national/reddition/", views.national_export, name="national_export"),
    path("indicateurs/<id:indicator_id>/", views.indicator_detail, name="indicator"),
]
