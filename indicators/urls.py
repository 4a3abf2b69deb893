from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/saisie/<int:year>/", views.entry, name="entry"),
    path("plans/<int:plan_id>/saisie/<int:year>/feuille.xlsx", views.entry_sheet_download,
         name="entry_sheet"),
    path("plans/<int:plan_id>/saisie/<int:year>/feuille/", views.entry_sheet_upload,
         name="entry_sheet_upload"),
    path("plans/<int:plan_id>/annee/<int:year>/etat/", views.year_transition,
         name="year_transition"),
    path("indicateurs/<int:indicator_id>/cible/<str:year>/", views.target_revise,
         name="target_revise"),
    path("preuves/<int:result_id>/", views.evidence, name="evidence"),
]
