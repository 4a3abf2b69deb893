from django.urls import path

import indicators.converters  # noqa: F401  (registers the id, year and target_year converters)
from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<id:plan_id>/saisie/<year:year>/", views.entry, name="entry"),
    path("plans/<id:plan_id>/saisie/<year:year>/feuille.xlsx", views.entry_sheet_download,
         name="entry_sheet"),
    path("plans/<id:plan_id>/saisie/<year:year>/feuille/", views.entry_sheet_upload,
         name="entry_sheet_upload"),
    path("plans/<id:plan_id>/annee/<year:year>/etat/", views.year_transition,
         name="year_transition"),
    path("indicateurs/<id:indicator_id>/cible/<target_year:year>/", views.target_revise,
         name="target_revise"),
    path("cibles/essai/", views.target_preview, name="target_preview"),
    path("plans/<id:plan_id>/themes/", views.plan_themes, name="plan_themes"),
    path("plans/<id:plan_id>/document/", views.plan_document, name="plan_document"),
    path("plans/<id:plan_id>/document/relecture/", views.plan_document_review,
         name="plan_document_review"),
    path("preuves/<id:result_id>/", views.evidence, name="evidence"),
]
