from django.urls import path

from . import audit_views, entretien_views, formation_views, slot_views, views

app_name = "candidates"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("inscription/vae/", views.inscription_vae, name="inscription_vae"),
    path("inscription/salarie/", views.inscription_salarie, name="inscription_salarie"),
    path("creneaux/", slot_views.slots, name="slots"),
    path("creneaux/<int:pk>/deplacer/", slot_views.slot_move, name="slot_move"),
    path("creneaux/<int:pk>/annuler/", slot_views.slot_cancel, name="slot_cancel"),
    path("mon-entretien/", slot_views.slot_booking, name="slot_booking"),
    path("mon-entretien/<str:number>/<int:pk>/reserver/", slot_views.slot_book, name="slot_book"),
    path("mon-entretien/<str:number>/<int:pk>/annuler/", slot_views.slot_booking_cancel, name="slot_booking_cancel"),
    path("<str:number>/", views.dossier_detail, name="dossier"),
    path("<str:number>/clore/", views.dossier_close, name="close"),
    path("<str:number>/prolonger/", views.dossier_extend, name="extend"),
    path("<str:number>/historique/", audit_views.dossier_audit, name="audit"),
    path("<str:number>/entretien/", entretien_views.entretien_detail, name="entretien"),
    path("<str:number>/entretien/saisie/", entretien_views.entretien_edit, name="entretien_edit"),
    path("<str:number>/entretien/valider/", entretien_views.entretien_validate, name="entretien_validate"),
    path("<str:number>/entretien/rouvrir/", entretien_views.entretien_reopen, name="entretien_reopen"),
    path(
        "<str:number>/entretien/valider-candidat/",
        entretien_views.entretien_validate_candidate,
        name="entretien_validate_candidate",
    ),
    path("<str:number>/entretien/pdf/", entretien_views.entretien_pdf, name="entretien_pdf"),
    # Voie formative (candidates/formation_views/)
    path("<str:number>/formation/", formation_views.formation_detail, name="formation"),
    path("<str:number>/formation/designations/", formation_views.formation_designations, name="formation_designations"),
    path("<str:number>/formation/livret-suivi/", formation_views.formation_suivi, name="formation_suivi"),
    path(
        "<str:number>/formation/livret-suivi/livret-suivi.pdf",
        formation_views.formation_suivi_pdf,
        name="formation_suivi_pdf",
    ),
    path(
        "<str:number>/formation/livret-suivi/saisie/", formation_views.formation_suivi_edit, name="formation_suivi_edit"
    ),
    path(
        "<str:number>/formation/livret-suivi/unite/<int:unit_id>/",
        formation_views.formation_formative,
        name="formation_formative",
    ),
    path(
        "<str:number>/formation/livret-suivi/unite/<int:unit_id>/signer/",
        formation_views.formation_formative_sign,
        name="formation_formative_sign",
    ),
    path("<str:number>/formation/tutorat/", formation_views.formation_tutorat, name="formation_tutorat"),
    path(
        "<str:number>/formation/tutorat/grille/<int:unit_id>/nouvelle/",
        formation_views.formation_intermediate,
        name="formation_intermediate_new",
    ),
    path(
        "<str:number>/formation/tutorat/grille/<int:unit_id>/<int:pk>/",
        formation_views.formation_intermediate,
        name="formation_intermediate",
    ),
    path(
        "<str:number>/formation/tutorat/point/nouveau/", formation_views.formation_review, name="formation_review_new"
    ),
    path("<str:number>/formation/tutorat/point/<int:pk>/", formation_views.formation_review, name="formation_review"),
    path(
        "<str:number>/formation/tutorat/<str:kind>/<int:pk>/supprimer/",
        formation_views.formation_tutor_delete,
        name="formation_tutor_delete",
    ),
    path("<str:number>/formation/evaluation-finale/", formation_views.formation_livret, name="formation_livret"),
    path(
        "<str:number>/formation/evaluation-finale/livret-evaluation-finale.pdf",
        formation_views.formation_livret_pdf,
        name="formation_livret_pdf",
    ),
    path(
        "<str:number>/formation/evaluation-finale/candidat/",
        formation_views.formation_candidate,
        name="formation_candidate",
    ),
    path(
        "<str:number>/formation/evaluation-finale/candidat/signer/",
        formation_views.formation_candidate_sign,
        name="formation_candidate_sign",
    ),
    path(
        "<str:number>/formation/evaluation-finale/unite/<int:unit_id>/evaluateur/<int:slot>/",
        formation_views.formation_assessment,
        name="formation_assessment",
    ),
    path(
        "<str:number>/formation/evaluation-finale/unite/<int:unit_id>/evaluateur/<int:slot>/signer/",
        formation_views.formation_assessment_sign,
        name="formation_assessment_sign",
    ),
    path(
        "<str:number>/formation/evaluation-finale/synthese/",
        formation_views.formation_synthesis,
        name="formation_synthesis",
    ),
    path(
        "<str:number>/formation/evaluation-finale/signature/<int:slot>/",
        formation_views.formation_evaluator_sign,
        name="formation_evaluator_sign",
    ),
    path(
        "<str:number>/formation/evaluation-finale/transmettre/",
        formation_views.formation_transmit,
        name="formation_transmit",
    ),
    path("<str:number>/formation/pret-jury/", formation_views.formation_ready, name="formation_ready"),
]
