from django.urls import path

import indicators.converters  # noqa: F401  (registers the id and year converters)
from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<id:campaign_id>/", views.board, name="board"),
    path("<id:campaign_id>/suivi.csv", views.board_export, name="board_export"),
    path("<id:campaign_id>/prolongation/", views.extension_grant, name="extension"),
    path("plans/<id:plan_id>/annee/<year:year>/corrections/", views.corrections,
         name="corrections"),
    path("plans/<id:plan_id>/annee/<year:year>/corrections/demander/", views.corrections_ask,
         name="corrections_ask"),
    path("corrections/<id:point_id>/reponse/", views.correction_answer,
         name="correction_answer"),
    path("mon-compte/", views.account, name="account"),
    path("calendrier/<str:token>.ics", views.calendar, name="calendar"),
]
