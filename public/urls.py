from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("donnees.csv", views.all_data_csv, name="all_csv"),
    path("donnees.json", views.all_data_json, name="all_json"),
    path("dictionnaire.csv", views.dictionary_csv, name="dictionary_csv"),
    path("dictionnaire.md", views.dictionary_markdown, name="dictionary_md"),
    path("<slug:code>/", views.pole, name="pole"),
    path("<slug:code>/rapport/<int:plan_id>/<int:year>/", views.pole_report, name="pole_report"),
    path("<slug:code>/donnees.csv", views.pole_data_csv, name="pole_csv"),
    path("<slug:code>/donnees.json", views.pole_data_json, name="pole_json"),
    path("<slug:code>/publication/", views.publication, name="publication"),
]
