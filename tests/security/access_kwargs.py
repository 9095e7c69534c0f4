"""The URL arguments of each pattern in the access world (tests/security/access_world.py), for the access matrix
and the query fuzz."""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _uid(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def _n(dossier):
    return {"number": dossier.number}


def url_kwargs(w):
    """kwargs (or args) resolving every non-admin pattern to real objects of the world."""
    vae, fo, u = w.vae, w.formative, w.unit.pk
    seat = {"pk": w.session.pk, "cid": w.seat.pk}
    return {
        "oemm_account_resend": {"pk": w.people["other_candidate"].pk},
        "oemm_organisme_edit": {"pk": w.centre.pk},
        "oemm_entreprise_edit": {"pk": w.entreprise.pk},
        "signup_confirm": {"uidb64": _uid(w.people["other_candidate"]), "token": "lien-invalide"},
        "invitation_accept": {"uidb64": _uid(w.people["other_candidate"]), "token": "lien-invalide"},
        "password_reset_confirm": {"uidb64": _uid(w.people["other_candidate"]), "token": "lien-invalide"},
        "email_change_confirm": {"token": "lien-invalide"},
        "oemm_deletion_request": {"pk": w.deletion_request.pk},
        "oemm_deletion_request_accept": {"pk": w.deletion_request.pk},
        "oemm_deletion_request_refuse": {"pk": w.deletion_request.pk},
        "oemm_retention_anonymise": {"pk": w.people["other_candidate"].pk},
        "oemm_email_resend": {"pk": w.failed_email.pk},
        "notifications:open": {"pk": w.notification.pk},
        "notifications:read": {"pk": w.notification.pk},
        "oemm_queue": {"key": "dossiers-a-placer"},
        "oemm_export": {"key": "dossiers", "fmt": "csv"},
        "oemm_statistics_csv": {"figure": "inscriptions"},
        "oemm_register_transmitted": {"pk": w.register_batch.pk},
        "oemm_queue_bulk": {"key": "livrets2-recus"},
        "oemm_session_convoke_all": {"pk": w.session.pk},
        "oemm_session_attendance_all": {"pk": w.session.pk},
        "referentiels:detail": {"code": w.cos.code},
        "referentiels:version": {"code": w.cos.code, "number": w.cos.current_version.number},
        # the VAE dossier (the entretien pages: the formative dossier, where the entretien exists)
        "candidates:dossier": _n(vae),
        "candidates:audit": _n(vae),
        "candidates:close": _n(vae),
        "jury:present_missing_units": _n(vae),
        "jury:choose_targets": _n(vae),
        "candidates:extend": _n(vae),
        "candidates:slot_move": {"pk": w.slot.pk},
        "candidates:slot_cancel": {"pk": w.slot.pk},
        "candidates:slot_book": {**_n(vae), "pk": w.slot.pk},
        "candidates:slot_booking_cancel": {**_n(vae), "pk": w.booked_slot.pk},
        **{
            f"candidates:{name}": _n(fo)
            for name in (
                "entretien",
                "entretien_edit",
                "entretien_validate",
                "entretien_reopen",
                "entretien_validate_candidate",
                "entretien_pdf",
                "formation",
                "formation_designations",
                "formation_suivi",
                "formation_suivi_edit",
                "formation_suivi_pdf",
                "formation_tutorat",
                "formation_review_new",
                "formation_livret",
                "formation_livret_pdf",
                "formation_candidate",
                "formation_candidate_sign",
                "formation_synthesis",
                "formation_transmit",
                "formation_ready",
            )
        },
        "candidates:formation_formative": {**_n(fo), "unit_id": u},
        "candidates:formation_formative_sign": {**_n(fo), "unit_id": u},
        "candidates:formation_intermediate_new": {**_n(fo), "unit_id": u},
        "candidates:formation_intermediate": {**_n(fo), "unit_id": u, "pk": w.intermediate.pk},
        "candidates:formation_review": {**_n(fo), "pk": w.review.pk},
        "candidates:formation_tutor_delete": {**_n(fo), "kind": "point", "pk": w.review.pk},
        "candidates:formation_assessment": {**_n(fo), "unit_id": u, "slot": 1},
        "candidates:formation_assessment_sign": {**_n(fo), "unit_id": u, "slot": 1},
        "candidates:formation_evaluator_sign": {**_n(fo), "slot": 1},
        "jury:session": {"pk": w.session.pk},
        "jury:edit": {"pk": w.session.pk},
        "jury:open": {"pk": w.session.pk},
        "jury:close": {"pk": w.session.pk},
        "jury:member_add": {"pk": w.session.pk},
        "jury:member_remove": {"pk": w.session.pk, "mid": w.member.pk},
        "jury:candidate_add": {"pk": w.session.pk},
        **{
            f"jury:{name}": seat
            for name in (
                "candidate",
                "candidate_remove",
                "candidate_up",
                "convoke",
                "attendance",
                "conflict",
                "deliberate",
            )
        },
        "jury:fiche_sign": {"pk": w.fiche.pk},
        "jury:fiche_correct": {"pk": w.fiche.pk},
        "jury:fiche_pdf": {"pk": w.fiche.pk},
        "jury:fiche_rebuild": {"pk": w.fiche.pk},
        "jury:certificate_pdf": {"pk": w.certificate.pk},
        "jury:convocation_pdf": {"pk": w.convocation.pk},
        "verification:verify": {"code": w.certificate.code},
        **{
            f"vae:{name}": _n(vae)
            for name in (
                "livret1",
                "livret1_start",
                "livret1_save",
                "livret1_submit",
                "livret1_decide",
                "livret1_renew",
                "piece_upload",
                "livret2",
                "livret2_start",
                "livret2_save",
                "livret2_submit",
                "livret2_acknowledge",
                "livret2_pdf",
                "livret2_piece_upload",
                "accompagnement",
                "accompagnement_request",
                "accompagnement_terms",
                "accompagnement_accept",
                "accompagnement_cancel",
                "accompagnement_comment",
            )
        },
        "vae:livret1_archive": {**_n(vae), "pk": w.livret1.pk},
        "vae:notification_pdf": {**_n(vae), "pk": w.livret1.pk},
        "vae:livret1_pdf": {**_n(vae), "pk": w.livret1.pk},
        "vae:piece_download": {**_n(vae), "pk": w.livret1_piece.pk},
        "messagerie:thread": _n(vae),
        "messagerie:attachment": {**_n(vae), "pk": w.message.pk},
        "messagerie:share": {**_n(vae), "pk": w.message.pk},
        "vae:piece_delete": {**_n(vae), "pk": w.livret1_piece.pk},
        "vae:piece_view": {**_n(vae), "pk": w.livret1_piece.pk},
        "vae:piece_preview": {**_n(vae), "pk": w.livret1_piece.pk},
        "vae:piece_verdict": {**_n(vae), "pk": w.livret1_piece.pk},
        "vae:piece_replace": {**_n(vae), "pk": w.livret1_piece.pk},
        "vae:livret2_piece_delete": {**_n(vae), "pk": w.livret2_piece.pk},
    }
