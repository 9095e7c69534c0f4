from django.urls import include, path

from . import views

app_name = "candidates"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("inscription/vae/", views.inscription_vae, name="inscription_vae"),
    path("inscription/salarie/", views.inscription_salarie, name="inscription_salarie"),
    path("<str:number>/", views.dossier_detail, name="dossier"),
    path("<str:number>/clore/", views.dossier_close, name="close"),
]
