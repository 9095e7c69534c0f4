from django.urls import include, path

from . import entretien_views, views

app_name = "candidates"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("inscription/vae/", views.inscription_vae, name="inscription_vae"),
    path("inscription/salarie/", views.inscription_salarie, name="inscription_salarie"),
    path("<str:number>/", views.dossier_detail, name="dossier"),
    path("<str:number>/clore/", views.dossier_close, name="close"),
    path("<str:number>/prolonger/", views.dossier_extend, name="extend"),
    path("<str:number>/entretien/", entretien_views.entretien_detail, name="entretien"),
    path("<str:number>/entretien/saisie/", entretien_views.entretien_edit, name="entretien_edit"),
    path("<str:number>/entretien/valider/", entretien_views.entretien_validate, name="entretien_validate"),
    path("<str:number>/entretien/rouvrir/", entretien_views.entretien_reopen, name="entretien_reopen"),
    path("<str:number>/entretien/valider-candidat/", entretien_views.entretien_validate_candidate, name="entretien_validate_candidate"),
    path("<str:number>/entretien/pdf/", entretien_views.entretien_pdf, name="entretien_pdf"),
]
