from django.urls import path

from . import accompagnement_views, livret2_views, piece_views, views

app_name = "vae"
urlpatterns = [
    path("recevabilite/", views.instruction_queue, name="queue"),
    path("accompagnements/", accompagnement_views.accompagnements, name="accompagnements"),
    path("<str:number>/livret1/", views.livret1_detail, name="livret1"),
    path("<str:number>/livret1/commencer/", views.livret1_start, name="livret1_start"),
    path("<str:number>/livret1/enregistrer/", views.livret1_save, name="livret1_save"),
    path("<str:number>/livret1/envoyer/", views.livret1_submit, name="livret1_submit"),
    path("<str:number>/livret1/instruction/", views.livret1_decide, name="livret1_decide"),
    path("<str:number>/livret1/nouvelle-demande/", views.livret1_renew, name="livret1_renew"),
    path("<str:number>/livret1/<int:pk>/", views.livret1_detail, name="livret1_archive"),
    path("<str:number>/livret1/<int:pk>/livret1.pdf", views.livret1_pdf, name="livret1_pdf"),
    path("<str:number>/livret1/<int:pk>/notification.pdf", views.notification_pdf, name="notification_pdf"),
    path("<str:number>/pieces/deposer/", views.piece_upload, name="piece_upload"),
    path("<str:number>/pieces/<int:pk>/", views.piece_download, name="piece_download"),
    path("<str:number>/pieces/<int:pk>/supprimer/", views.piece_delete, name="piece_delete"),
    path("<str:number>/pieces/<int:pk>/voir/", piece_views.piece_view, name="piece_view"),
    path("<str:number>/pieces/<int:pk>/apercu.png", piece_views.piece_preview, name="piece_preview"),
    path("<str:number>/pieces/<int:pk>/avis/", piece_views.piece_verdict, name="piece_verdict"),
    path("<str:number>/pieces/<int:pk>/remplacer/", piece_views.piece_replace, name="piece_replace"),
    path("<str:number>/livret2/", livret2_views.livret2_detail, name="livret2"),
    path("<str:number>/livret2/commencer/", livret2_views.livret2_start, name="livret2_start"),
    path("<str:number>/livret2/enregistrer/", livret2_views.livret2_save, name="livret2_save"),
    path("<str:number>/livret2/envoyer/", livret2_views.livret2_submit, name="livret2_submit"),
    path("<str:number>/livret2/reception/", livret2_views.livret2_acknowledge, name="livret2_acknowledge"),
    path("<str:number>/livret2/livret2.pdf", livret2_views.livret2_pdf, name="livret2_pdf"),
    path("<str:number>/livret2/pieces/deposer/", livret2_views.livret2_piece_upload, name="livret2_piece_upload"),
    path(
        "<str:number>/livret2/pieces/<int:pk>/supprimer/",
        livret2_views.livret2_piece_delete,
        name="livret2_piece_delete",
    ),
    path("<str:number>/accompagnement/", accompagnement_views.accompagnement, name="accompagnement"),
    path(
        "<str:number>/accompagnement/demander/",
        accompagnement_views.accompagnement_request,
        name="accompagnement_request",
    ),
    path(
        "<str:number>/accompagnement/modalites/", accompagnement_views.accompagnement_terms, name="accompagnement_terms"
    ),
    path(
        "<str:number>/accompagnement/accepter/",
        accompagnement_views.accompagnement_accept,
        name="accompagnement_accept",
    ),
    path(
        "<str:number>/accompagnement/annuler/", accompagnement_views.accompagnement_cancel, name="accompagnement_cancel"
    ),
    path(
        "<str:number>/accompagnement/commenter/",
        accompagnement_views.accompagnement_comment,
        name="accompagnement_comment",
    ),
]
