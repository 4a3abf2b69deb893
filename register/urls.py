from django.urls import path

from register import views

app_name = "register"

urlpatterns = [
    path("", views.my_register, name="mine"),
    path("indicateurs/<int:indicator_id>/<int:year>/", views.indicator_activities,
         name="indicator"),
    path("activites/<int:activity_id>/preuve/", views.activity_evidence, name="evidence"),
    path("<slug:pole_code>/", views.activity_list, name="list"),
    path("<slug:pole_code>/ajouter/", views.activity_edit, name="add"),
    path("<slug:pole_code>/importer/", views.activity_import, name="import"),
    path("<slug:pole_code>/importer/<int:job_id>/", views.activity_import_job,
         name="import_job"),
    path("importer/exemple-registre.csv", views.import_example, name="import_example"),
    path("<slug:pole_code>/<int:activity_id>/fiche/", views.activity_detail, name="detail"),
    path("<slug:pole_code>/<int:activity_id>/", views.activity_edit, name="edit"),
    path("<slug:pole_code>/<int:activity_id>/supprimer/", views.activity_delete,
         name="delete"),
]
