from django.urls import path

from . import views

app_name = "vae"
urlpatterns = [
    path("recevabilite/", views.instruction_queue, name="queue"),
    path("<str:number>/livret1/", views.livret1_detail, name="livret1"),
    path("<str:number>/livret1/commencer/", views.livret1_start, name="livret1_start"),
    path("<str:number>/livret1/enregistrer/", views.livret1_save, name="livret1_save"),
    path("<str:number>/livret1/envoyer/", views.livret1_submit, name="livret1_submit"),
    path("<str:number>/livret1/instruction/", views.livret1_decide, name="livret1_decide"),
    path("<str:number>/livret1/nouvelle-demande/", views.livret1_renew, name="livret1_renew"),
    path("<str:number>/livret1/<int:pk>/", views.livret1_detail, name="livret1_archive"),
    path("<str:number>/livret1/<int:pk>/notification.pdf", views.notification_pdf, name="notification_pdf"),
    path("<str:number>/pieces/deposer/", views.piece_upload, name="piece_upload"),
    path("<str:number>/pieces/<int:pk>/", views.piece_download, name="piece_download"),
    path("<str:number>/pieces/<int:pk>/supprimer/", views.piece_delete, name="piece_delete"),
]
