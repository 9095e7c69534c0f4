from django.urls import path

from . import views

app_name = "jury"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("nouvelle/", views.session_create, name="create"),
    path("mon-jury/", views.my_jury, name="my_jury"),
    path("dossiers/<str:number>/unites-manquantes/", views.present_missing_units, name="present_missing_units"),
    path("dossiers/<str:number>/unites-visees/", views.choose_targets, name="choose_targets"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/modifier/", views.session_edit, name="edit"),
    path("<int:pk>/ouvrir/", views.session_open, name="open"),
    path("<int:pk>/clore/", views.session_close, name="close"),
    path("<int:pk>/membres/", views.member_add, name="member_add"),
    path("<int:pk>/membres/<int:mid>/retirer/", views.member_remove, name="member_remove"),
    path("<int:pk>/candidats/", views.candidate_add, name="candidate_add"),
    path("<int:pk>/candidats/<int:cid>/", views.candidate_detail, name="candidate"),
    path("<int:pk>/candidats/<int:cid>/retirer/", views.candidate_remove, name="candidate_remove"),
    path("<int:pk>/candidats/<int:cid>/avancer/", views.candidate_up, name="candidate_up"),
    path("<int:pk>/candidats/<int:cid>/convoquer/", views.convoke, name="convoke"),
    path("<int:pk>/candidats/<int:cid>/presence/", views.attendance, name="attendance"),
    path("<int:pk>/candidats/<int:cid>/conflit/", views.conflict, name="conflict"),
    path("<int:pk>/candidats/<int:cid>/deliberation/", views.deliberate, name="deliberate"),
    path("fiches/<int:pk>/signer/", views.fiche_sign, name="fiche_sign"),
    path("fiches/<int:pk>/rectifier/", views.fiche_correct, name="fiche_correct"),
    path("fiches/<int:pk>/pdf/", views.fiche_pdf, name="fiche_pdf"),
    path("fiches/<int:pk>/regenerer/", views.fiche_rebuild, name="fiche_rebuild"),
    path("certificats/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("convocations/<int:pk>/pdf/", views.convocation_pdf, name="convocation_pdf"),
]
