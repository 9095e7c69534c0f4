"""The access matrix: every URL pattern of the project × every persona, with the answer each one must get.

One world of real objects (tests/security/access_world.py) is built once; every URL pattern found by walking
``get_resolver()`` (the admin included) must have an entry in ``MATRIX`` (or match ``admin_rule``), otherwise the test
fails and names it: a new page cannot ship without someone deciding who may open it. The walking, the admin's generic
rule and the reading of responses are in ``access_urls.py``, the URL arguments of each pattern in
``access_kwargs.py``; the entries are here.

Notation of an expectation, per persona (order of ``PERSONAS``):
    200, 403, 404, 405 ...  the status code;
    "L"                      302 to the login page (``/connexion/?next=...``);
    "A"                      302 to the admin login page;
    "R"                      any other 302 (e.g. back to the page after a refused action, or to the dashboard);
    401                      the autosave endpoints answer 401 to an expired session (htmx).
An entry is ``{"get": row}`` and/or ``{"post": row}``; a row is a string of 12 tokens or a dict persona → token
(with "*" for the others). For POST, the personas that are refused (403, 404, L, 401, 405) must write nothing to
the project tables (the session and the login records apart).
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .access_kwargs import url_kwargs
from .access_urls import REFUSED, admin_rule, log_in, matches, patterns, row, send, token_of, url_for, writes
from .access_world import PERSONAS

# ----------------------------------------------------------------------------------------------- the matrix


#              anon cand othC cent othCe comp othCo oemm jury othJ pres admin
ALL_200 = "200 200 200 200 200 200 200 200 200 200 200 200"
LOGGED_200 = "L 200 200 200 200 200 200 200 200 200 200 200"
OEMM_ONLY = "L 403 403 403 403 403 403 200 403 403 403 200"

NO_GET = "405 405 405 405 405 405 405 405 405 405 405 405"  # POST-only, no login check before the method check
NO_GET_L = "L 405 405 405 405 405 405 405 405 405 405 405"  # POST-only behind the login
OEMM_ACTION = "L 403 403 403 403 403 403 R 403 403 403 R"
# The VAE dossier's livrets, pièces, PDFs and accompagnement: the candidate, the centre (accompagnateur), OEMM, admin.
VAE_READ = "L 200 404 200 404 404 404 200 404 404 404 200"
VAE_CANDIDATE_WRITE = "L 403 404 403 404 404 404 403 404 404 404 403"  # the livret 1 is decided: nobody writes
# The livret 2 (received): also read by the jury of the candidate's session.
LIVRET2_READ = "L 200 404 200 404 404 404 200 200 404 200 200"
LIVRET2_WRITE = "L 403 404 403 404 404 404 403 403 404 403 403"
# The voie formative dossier: the candidate, the centre, the entreprise (RH), OEMM, admin read; the jury does not.
FORMATION_READ = "L 200 404 200 404 200 404 200 404 404 404 200"
FORMATION_NOBODY = "L 403 404 403 404 403 404 403 404 404 404 403"  # tutor / evaluators only (not personas here)
# The candidate's jury documents: the candidate, the session (members, president), OEMM, admin.
JURY_DOCUMENT = "L 200 404 404 404 404 404 200 200 404 200 200"
JURY_PAGE = "L 403 403 403 403 403 403 200 200 404 200 200"
JURY_SEAT_ACTION = "L 403 403 403 403 403 403 R 403 403 403 R"
# Créneaux d'entretien: the centres' page; one slot of the centre; the candidate's booking of their own dossier.
SLOT_CENTRE = "L 403 403 200 200 403 403 403 403 403 403 403"
SLOT_OF_CENTRE = "L 403 403 200 404 403 403 403 403 403 403 403"
SLOT_OF_CANDIDATE = "L 200 404 403 403 403 403 403 403 403 403 403"

MATRIX = {
    # --- foundation: home, dashboards, OEMM pages
    "home": {"get": "200 R R R R R R R R R R R"},
    "switch_role": {"get": NO_GET_L, "post": "L R R R R R R R R R R R"},  # a role one does not have: refused, home
    "my_reminders": {"get": LOGGED_200},
    # legal pages (footer of every page): public, read only
    "legal_notice": {"get": ALL_200, "post": NO_GET},
    "privacy": {"get": ALL_200, "post": NO_GET},
    "accessibility": {"get": ALL_200, "post": NO_GET},
    "terms": {"get": ALL_200, "post": NO_GET},
    "contact": {"get": ALL_200, "post": NO_GET},
    # notifications: each person their own list and choice; a notification of someone else is a 404
    "notifications:list": {"get": LOGGED_200},
    "notifications:preferences": {"get": LOGGED_200, "post": LOGGED_200},  # an empty choice: the form again
    "notifications:read_all": {"get": NO_GET_L, "post": "L R R R R R R R R R R R"},
    "notifications:open": {"get": "L 404 404 404 404 404 404 404 R 404 404 404"},
    "notifications:read": {"get": NO_GET_L, "post": "L 404 404 404 404 404 404 404 R 404 404 404"},
    "dashboard_candidat": {"get": "L 200 200 403 403 403 403 403 403 403 403 403"},
    "dashboard_organisme": {"get": "L 403 403 200 200 403 403 403 403 403 403 403"},
    "dashboard_entreprise": {"get": "L 403 403 403 403 200 200 403 403 403 403 403"},
    "dashboard_oemm": {"get": OEMM_ONLY},
    "dashboard_jury": {"get": "L 403 403 403 403 403 403 403 200 200 200 403"},
    "oemm_deadlines": {"get": OEMM_ONLY},
    "oemm_accounts": {"get": OEMM_ONLY},
    "oemm_account_invite": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "oemm_account_resend": {"get": OEMM_ACTION, "post": OEMM_ACTION},
    "oemm_organismes": {"get": OEMM_ONLY},
    "oemm_organisme_new": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "oemm_organisme_edit": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "oemm_entreprises": {"get": OEMM_ONLY},
    "oemm_entreprise_new": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "oemm_entreprise_edit": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    # --- personal data (RGPD): the candidate's own data; the OEMM treats requests (added for the personal-data work)
    "my_data": {"get": "L 200 200 403 403 403 403 403 403 403 403 403"},
    "my_data_export": {
        "get": "L 405 405 403 403 403 403 403 403 403 403 403",
        "post": "L 200 200 403 403 403 403 403 403 403 403 403",
    },  # each one's own export
    "my_deletion_request": {
        "get": "L 405 405 403 403 403 403 403 403 403 403 403",
        "post": "L R R 403 403 403 403 403 403 403 403 403",
    },
    "oemm_deletion_requests": {"get": OEMM_ONLY},
    "oemm_deletion_request": {"get": OEMM_ONLY},
    "oemm_deletion_request_accept": {"get": "L 403 403 403 403 403 403 405 403 403 403 405", "post": OEMM_ACTION},
    "oemm_deletion_request_refuse": {"get": "L 403 403 403 403 403 403 405 403 403 403 405", "post": OEMM_ACTION},
    "oemm_retention": {"get": OEMM_ONLY},
    # the other candidate's account is not past its retention period: OEMM is sent back to the list with the reason
    "oemm_retention_anonymise": {
        "get": "L 403 403 403 403 403 403 405 403 403 403 405",
        "post": "L 403 403 403 403 403 403 R 403 403 403 R",
    },
    "oemm_statistics": {"get": OEMM_ONLY},
    # --- the outbox's failed and late e-mails, resent by the OEMM (added for the outbox work)
    "oemm_emails": {"get": OEMM_ONLY},
    "oemm_email_resend": {"get": "L 403 403 403 403 403 403 405 403 403 403 405", "post": OEMM_ACTION},
    "oemm_emails_resend_all": {"get": "L 403 403 403 403 403 403 405 403 403 403 405", "post": OEMM_ACTION},
    # --- the OEMM cockpit: work queues and bulk actions (nothing checked: OEMM is sent back with a message)
    "oemm_queue": {"get": OEMM_ONLY},
    "oemm_export": {"get": OEMM_ONLY},
    "oemm_statistics_csv": {"get": OEMM_ONLY},
    "oemm_register": {"get": OEMM_ONLY},
    # the world's signed total validation is in the register: OEMM gets the file; its batch is marked transmitted
    "oemm_register_export": {"get": NO_GET, "post": OEMM_ONLY},
    "oemm_register_transmitted": {"get": NO_GET, "post": OEMM_ACTION},
    "oemm_queue_bulk": {"get": NO_GET, "post": OEMM_ACTION},
    "oemm_session_convoke_all": {"get": NO_GET, "post": OEMM_ACTION},
    "oemm_session_attendance_all": {"get": NO_GET, "post": OEMM_ACTION},
    # --- e-mail change and two-factor authentication (added for the account-security work)
    "email_change": {"get": LOGGED_200, "post": LOGGED_200},
    "email_change_confirm": {"get": "400 " * 11 + "400"},  # a forged token
    # two-factor: OEMM and the jury only (the admin and the other roles: 404)
    "two_factor": {"get": "L 404 404 404 404 404 404 200 200 200 200 404"},
    "two_factor_start": {"get": NO_GET_L, "post": "L 404 404 404 404 404 404 R R R R 404"},
    "two_factor_enable": {
        "get": "L 404 404 404 404 404 404 R R R R 404",
        "post": "L 404 404 404 404 404 404 R R R R 404",
    },
    "two_factor_disable": {"get": NO_GET_L, "post": "L 404 404 404 404 404 404 R R R R 404"},
    "two_factor_verify": {"get": "L R R R R R R R R R R R", "post": "L R R R R R R R R R R R"},
    # --- accounts (Django auth views and the project's own)
    "signup": {"get": "200 R R R R R R R R R R R", "post": "200 R R R R R R R R R R R"},
    "signup_confirm": {"get": "400 " * 11 + "400"},  # a forged token: « lien invalide » for everyone
    "invitation_accept": {"get": "400 " * 11 + "400", "post": "400 " * 11 + "400"},
    "login": {"get": "200 R R R R R R R R R R R", "post": "200 R R R R R R R R R R R"},
    "logout": {"get": NO_GET, "post": "R R R R R R R R R R R R"},
    "password_reset": {"get": ALL_200, "post": ALL_200},
    "password_reset_done": {"get": ALL_200},
    "password_reset_confirm": {"get": ALL_200, "post": ALL_200},  # a forged token: « lien invalide »
    "password_reset_complete": {"get": ALL_200},
    "password_change": {"get": LOGGED_200, "post": LOGGED_200},
    "password_change_done": {"get": LOGGED_200},
    # --- référentiels (public)
    "referentiels:catalogue": {"get": ALL_200},
    "referentiels:detail": {"get": ALL_200},
    "referentiels:version": {"get": ALL_200},
    # --- dossiers (the VAE dossier for the dossier pages, the formative one for the entretien and the formation)
    "candidates:list": {"get": OEMM_ONLY},
    "candidates:inscription_vae": {
        "get": "L 200 200 403 403 403 403 403 403 403 403 403",
        "post": "L 200 200 403 403 403 403 403 403 403 403 403",
    },
    "candidates:inscription_salarie": {
        "get": "L 403 403 403 403 200 200 403 403 403 403 403",
        "post": "L 403 403 403 403 200 200 403 403 403 403 403",
    },
    # the entreprise of the salarié sees the dossier page; the jury of the session too; outsiders get a 404
    "candidates:dossier": {"get": "L 200 404 200 404 200 404 200 200 404 200 200"},
    # the dossier's detailed history (added for the audit work): OEMM only; the dossier's other readers 403
    "candidates:audit": {"get": "L 403 404 403 404 403 404 200 403 404 403 200"},
    "candidates:close": {"get": OEMM_ONLY, "post": OEMM_ONLY},  # an empty form: re-displayed with its errors
    "candidates:extend": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "candidates:entretien": {"get": FORMATION_READ},
    # créneaux d'entretien (issue 21): each centre its own slots (another centre's: 404); the candidate books for
    # their own dossier (someone else's: 404); an empty POST re-displays the form with its errors
    "candidates:slots": {"get": SLOT_CENTRE, "post": SLOT_CENTRE},
    "candidates:slot_move": {"get": SLOT_OF_CENTRE, "post": SLOT_OF_CENTRE},
    "candidates:slot_cancel": {"get": SLOT_OF_CENTRE, "post": SLOT_OF_CENTRE},
    "candidates:slot_booking": {"get": "L 200 200 403 403 403 403 403 403 403 403 403"},
    "candidates:slot_book": {"get": SLOT_OF_CANDIDATE, "post": SLOT_OF_CANDIDATE},
    "candidates:slot_booking_cancel": {"get": SLOT_OF_CANDIDATE, "post": SLOT_OF_CANDIDATE},
    # the entretien is validated: the conductors (centre, entreprise) are sent back to it, the others refused
    # (the autosave endpoints answer 401 to an anonymous POST: the htmx page shows « session expirée »)
    "candidates:entretien_edit": {
        "get": "L 403 404 R 404 R 404 403 404 404 404 403",
        "post": "401 403 404 R 404 R 404 403 404 404 404 403",
    },
    "candidates:entretien_validate": {
        "get": "L 403 404 R 404 R 404 403 404 404 404 403",
        "post": "L 403 404 R 404 R 404 403 404 404 404 403",
    },
    "candidates:entretien_reopen": {"get": NO_GET_L, "post": "L 403 404 R 404 R 404 403 404 404 404 403"},
    "candidates:entretien_validate_candidate": {
        "get": "L R 404 403 404 403 404 403 404 404 404 403",
        "post": "L R|409 404 403 404 403 404 403 404 404 404 403",
    },
    "candidates:entretien_pdf": {"get": FORMATION_READ},
    "candidates:formation": {"get": FORMATION_READ},
    "candidates:formation_designations": {
        "get": "L 403 404 403 404 200 404 403 404 404 404 403",
        "post": "L 403 404 403 404 200 404 403 404 404 404 403",
    },
    "candidates:formation_suivi": {"get": FORMATION_READ},
    "candidates:formation_suivi_edit": {
        "get": "L 403 404 200 404 403 404 403 404 404 404 403",
        "post": "401 403 404 200 404 403 404 403 404 404 404 403",
    },
    # an empty POST of the writer (no autosave version): back to the form, or 409 « version plus récente » — the
    # autosave
    # version check was being reworked while this matrix was written; either way nothing is saved
    "candidates:formation_formative": {
        "get": "L 403 404 200 404 403 404 403 404 404 404 403",
        "post": "401 403 404 R|409 404 403 404 403 404 404 404 403",
    },
    "candidates:formation_formative_sign": {
        "get": "L 403 404 200 404 403 404 403 404 404 404 403",
        "post": "L 403 404 200 404 403 404 403 404 404 404 403",
    },
    "candidates:formation_tutorat": {"get": FORMATION_READ},
    "candidates:formation_intermediate_new": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_intermediate": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_review_new": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_review": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_tutor_delete": {"get": NO_GET_L, "post": FORMATION_NOBODY},
    "candidates:formation_livret": {"get": FORMATION_READ},
    "candidates:formation_livret_pdf": {"get": FORMATION_READ},
    "candidates:formation_suivi_pdf": {"get": FORMATION_READ},
    "candidates:formation_candidate": {
        "get": "L 200 404 403 404 403 404 403 404 404 404 403",
        "post": "401 R|409 404 403 404 403 404 403 404 404 404 403",
    },
    "candidates:formation_candidate_sign": {
        "get": "L 200 404 403 404 403 404 403 404 404 404 403",
        "post": "L 200 404 403 404 403 404 403 404 404 404 403",
    },
    "candidates:formation_assessment": {"get": FORMATION_NOBODY, "post": "401" + FORMATION_NOBODY[1:]},
    "candidates:formation_assessment_sign": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_synthesis": {"get": FORMATION_NOBODY, "post": "401" + FORMATION_NOBODY[1:]},
    "candidates:formation_evaluator_sign": {"get": FORMATION_NOBODY, "post": FORMATION_NOBODY},
    "candidates:formation_transmit": {
        "get": "L 403 404 403 404 200 404 403 404 404 404 403",
        "post": "L 403 404 403 404 200 404 403 404 404 404 403",
    },
    # OEMM is let in and refused by the workflow (the livret is not transmitted): back to the dossier, unchanged
    "candidates:formation_ready": {"get": NO_GET_L, "post": "L 403 404 403 404 403 404 R 404 404 404 R"},
    # --- jury (the candidate's session is open, the fiche signed)
    "jury:list": {"get": "L 403 403 403 403 403 403 200 200 200 200 200"},
    "jury:create": {"get": OEMM_ONLY, "post": OEMM_ONLY},
    "jury:my_jury": {"get": LOGGED_200},
    # A dossier without a validation partielle: OEMM is sent back to it with the reason (nothing written).
    "jury:present_missing_units": {
        "get": NO_GET,
        "post": OEMM_ACTION,
    },  # each one's own passages (none for most personas)
    # Target units of the VAE dossier (no partial paths, placed in a session): OEMM and centre read it, their POST is
    # sent back with the reason; candidate, jury (see the dossier) and entreprise (not its entretien): 403.
    "jury:choose_targets": {
        "get": "L 403 404 200 404 403 404 200 403 404 403 200",
        "post": "L 403 404 R 404 403 404 R 403 404 403 R",
    },
    "jury:session": {"get": JURY_PAGE},
    # the session is open: its planning is closed to everyone (403 with a message), OEMM included
    "jury:edit": {
        "get": "L 403 403 403 403 403 403 403 403 403 403 403",
        "post": "L 403 403 403 403 403 403 403 403 403 403 403",
    },
    "jury:open": {
        "get": "L 403 403 403 403 403 403 403 403 403 403 403",
        "post": "L 403 403 403 403 403 403 403 403 403 403 403",
    },
    "jury:close": {"get": NO_GET, "post": OEMM_ACTION},
    "jury:member_add": {"get": NO_GET, "post": OEMM_ACTION},
    "jury:member_remove": {"get": NO_GET, "post": OEMM_ACTION},
    "jury:candidate_add": {"get": NO_GET, "post": OEMM_ACTION},
    "jury:candidate": {"get": JURY_PAGE},
    "jury:candidate_remove": {"get": NO_GET, "post": JURY_SEAT_ACTION},
    "jury:candidate_up": {"get": NO_GET, "post": JURY_SEAT_ACTION},
    "jury:convoke": {"get": NO_GET, "post": JURY_SEAT_ACTION},
    "jury:attendance": {"get": NO_GET, "post": JURY_SEAT_ACTION},
    # the session's people reach the seat and are refused by the workflow (fiche signed): back to the seat
    "jury:conflict": {"get": NO_GET, "post": "L 403 403 403 403 403 403 R R 404 R R"},
    "jury:deliberate": {"get": NO_GET, "post": "L 403 403 403 403 403 403 R R 404 R R"},
    # the candidate and the session reach their fiche; signing again is refused by the workflow (already signed)
    "jury:fiche_sign": {"get": NO_GET, "post": "L R 404 404 404 404 404 R R 404 R R"},
    "jury:fiche_correct": {
        "get": "L 403 404 404 404 404 404 200 403 404 403 200",
        "post": "L 403 404 404 404 404 404 200 403 404 403 200",
    },
    "jury:fiche_pdf": {"get": JURY_DOCUMENT},
    "jury:fiche_rebuild": {"get": NO_GET, "post": "L 403 403 403 403 403 403 R 403 403 403 R"},
    "jury:certificate_pdf": {"get": JURY_DOCUMENT},
    "jury:convocation_pdf": {"get": JURY_DOCUMENT},
    "verification:verify": {"get": ALL_200},  # the public check of a certificate by its code
    # the public check of an uploaded PDF's seal: a page for everyone, an empty POST re-shows the form
    "verification:verify_document": {"get": ALL_200, "post": ALL_200},
    "health": {"get": ALL_200, "post": "405 " * 11 + "405"},  # the probe of /health/: public, no personal data
    # --- VAE (the livret 1 is recevable, the livret 2 received, the convention accepted)
    "vae:queue": {"get": OEMM_ONLY},
    "vae:accompagnements": {"get": "L 403 403 200 200 403 403 403 403 403 403 403"},
    "vae:livret1": {"get": VAE_READ},
    "vae:livret1_start": {"get": NO_GET, "post": "L R 404 403 404 404 404 403 404 404 404 403"},
    "vae:livret1_save": {"get": NO_GET, "post": "401 403 404 403 404 404 404 403 404 404 404 403"},
    "vae:livret1_submit": {"get": VAE_CANDIDATE_WRITE, "post": VAE_CANDIDATE_WRITE},
    "vae:livret1_decide": {
        "get": "L 403 404 403 404 404 404 R 404 404 404 R",
        "post": "L 403 404 403 404 404 404 R 404 404 404 R",
    },
    "vae:livret1_renew": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:livret1_archive": {"get": VAE_READ},
    "vae:notification_pdf": {"get": VAE_READ},
    # the printed livret 1 (cerfa): its readers, and the jury of the candidate's session
    "vae:livret1_pdf": {"get": LIVRET2_READ},
    "vae:piece_upload": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:piece_download": {"get": VAE_READ},
    "vae:piece_delete": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    # the piece inline (new tab) and its preview: the livret 1's readers
    "vae:piece_view": {"get": VAE_READ},
    "vae:piece_preview": {"get": VAE_READ},
    # verdicts and replacements only while the livret 1 is instructed (here it is decided): refused to its readers
    "vae:piece_verdict": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:piece_replace": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:livret2": {"get": LIVRET2_READ},
    "vae:livret2_start": {"get": NO_GET, "post": "L R 404 403 404 404 404 403 404 404 404 403"},
    "vae:livret2_save": {"get": NO_GET, "post": "401 403 404 403 404 404 404 403 403 404 403 403"},
    "vae:livret2_submit": {"get": LIVRET2_WRITE, "post": LIVRET2_WRITE},
    "vae:livret2_acknowledge": {
        "get": "L 403 404 403 404 404 404 R 403 404 403 R",
        "post": "L 403 404 403 404 404 404 R 403 404 403 R",
    },
    "vae:livret2_pdf": {"get": LIVRET2_READ},
    "vae:livret2_piece_upload": {"get": NO_GET, "post": LIVRET2_WRITE},
    "vae:livret2_piece_delete": {"get": NO_GET, "post": LIVRET2_WRITE},
    "vae:accompagnement": {"get": VAE_READ},
    "vae:accompagnement_request": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:accompagnement_terms": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:accompagnement_accept": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    "vae:accompagnement_cancel": {"get": NO_GET, "post": VAE_CANDIDATE_WRITE},
    # the accompagnateur comments (an empty comment: the form again); nobody else
    "vae:accompagnement_comment": {"get": NO_GET, "post": "L 403 404 200 404 404 404 403 404 404 404 403"},
    # --- messages of the VAE dossier: candidate, centre (accompagnateur), OEMM, admin; the jury of the candidate's
    # session reads the message the OEMM shared with it (read-only); the employer does not read a VAE thread.
    # An empty message is refused (the form again, 400).
    "messagerie:thread": {
        "get": "L 200 404 200 404 404 404 200 200 404 200 200",
        "post": "L 400 404 400 404 404 404 400 403 404 403 400",
    },
    "messagerie:attachment": {"get": "L 200 404 200 404 404 404 200 200 404 200 200"},
    # already shared: the OEMM is sent back to the thread with a message
    "messagerie:share": {"get": NO_GET, "post": "L 403 404 403 404 404 404 R 403 404 403 R"},
}

# Responses that hand out a document: when a persona gets it, it is an attachment that the browser must not sniff.
DOWNLOADS = {
    "vae:notification_pdf",
    "vae:livret1_pdf",
    "candidates:formation_livret_pdf",
    "candidates:formation_suivi_pdf",
    "vae:piece_download",
    "messagerie:attachment",
    "vae:livret2_pdf",
    "candidates:entretien_pdf",
    "jury:fiche_pdf",
    "jury:certificate_pdf",
    "jury:convocation_pdf",
    "my_data_export",
}


def entry_for(key):
    return MATRIX.get(key) or admin_rule(key)


# ----------------------------------------------------------------------------------------------- the tests

PATTERNS = patterns()


@pytest.mark.django_db
def test_every_url_pattern_has_an_entry():
    """A URL pattern unknown to the matrix fails here, named: decide who may open it and add it to MATRIX."""
    missing = sorted(key for key in PATTERNS if entry_for(key) is None)
    assert not missing, (
        "URL patterns without an entry in the access matrix (tests/security/test_access_matrix.py): "
        + ", ".join(f"{key} ({PATTERNS[key][0]})" for key in missing)
    )
    stale = sorted(set(MATRIX) - set(PATTERNS))
    assert not stale, "Access matrix entries for URL patterns that no longer exist: " + ", ".join(stale)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(set(PATTERNS) | set(MATRIX)))
def test_access(client, access_world, key):
    """Each persona gets the answer of the matrix; a refused POST changes nothing; a handed-out document is an
    attachment that is not sniffed."""
    w = access_world
    entry = entry_for(key)
    if entry is None:
        pytest.fail(f"No entry in the access matrix for the URL pattern {key} ({PATTERNS[key][0]})")
    if key not in PATTERNS:
        pytest.fail(f"The access matrix has an entry for {key}, which is no longer a URL pattern")
    route, pattern = PATTERNS[key]
    url = url_for(key, route, pattern, w, url_kwargs(w))
    errors = []
    for method in ("get", "post"):
        if method not in entry:
            continue
        for persona, expected in row(entry[method]).items():
            with transaction.atomic():
                log_in(client, w.people[persona])
                refused = method == "post" and set(expected.split("|")) <= REFUSED
                try:
                    with CaptureQueriesContext(connection) as queries:
                        response = send(client, method, url)
                    got = token_of(response)
                except Exception as exc:  # a 500 is a finding: name it rather than stop the whole row
                    errors.append(f"{method.upper()} {url} as {persona}: {type(exc).__name__}: {exc}")
                    transaction.set_rollback(True)
                    continue
                if not matches(expected, got):
                    where = f" → {response['Location']}" if response.status_code == 302 else ""
                    errors.append(
                        f"{method.upper()} {url} as {persona}: expected {expected}, got {response.status_code}{where}"
                    )
                if refused and writes(queries.captured_queries):
                    errors.append(
                        f"{method.upper()} {url} as {persona}: refused ({got}) but it wrote to "
                        + ", ".join(sorted(writes(queries.captured_queries)))
                    )
                if key in DOWNLOADS and response.status_code == 200:
                    if not response.get("Content-Disposition", "").startswith("attachment"):
                        errors.append(
                            f"{method.upper()} {url} as {persona}: not an attachment "
                            f"(Content-Disposition: {response.get('Content-Disposition')!r})"
                        )
                    if response.get("X-Content-Type-Options") != "nosniff":
                        errors.append(f"{method.upper()} {url} as {persona}: no « X-Content-Type-Options: nosniff »")
                transaction.set_rollback(True)
    assert not errors, f"{key}:\n" + "\n".join(errors)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_reaches_another_candidates_documents(client, access_world, persona):
    """The livret 2 pièce (downloaded through the dossier's pièces) and the other candidate's documents: only their
    readers get them, every outsider a 404 (anonymous: the login page)."""
    w = access_world
    log_in(client, w.people[persona])
    piece = reverse("vae:piece_download", kwargs={"number": w.vae.number, "pk": w.livret2_piece.pk})
    expected = row(LIVRET2_READ)[persona]
    response = client.get(piece)
    assert token_of(response) == expected, (piece, persona)
    if response.status_code == 200:
        assert (
            response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
        )
    # A pièce of the candidate's dossier asked through the other candidate's dossier number: never served.
    crossed = reverse("vae:piece_download", kwargs={"number": w.other_vae.number, "pk": w.livret1_piece.pk})
    assert token_of(client.get(crossed)) in {"L", "404"}, (crossed, persona)
    # The other candidate's dossier and jury seat: their own people only.
    other = {"anonymous": "L", "other_candidate": "200", "oemm": "200", "admin": "200", "other_jury": "200"}
    response = client.get(reverse("candidates:dossier", kwargs={"number": w.other_vae.number}))
    assert token_of(response) == other.get(persona, "404"), persona


@pytest.mark.django_db
@pytest.mark.parametrize("certifier", ["cpnefp_mutualite", "ucanss"])
def test_a_certifier_s_staff_reach_nothing_of_the_other_certifier(client, access_world, certifier):
    """The matrix's OEMM acts for every certifier; a staff account scoped to one certifier (cqp.UserRole.certifier)
    gets a 404 on every page the OEMM reads for the other certifier's dossier (the VAE dossier and its session are
    the Ucanss's, the voie formative dossier the CPNEFP Mutualité's), and a 200 on its own."""
    from cqp.enums import Role
    from referentiels.models import Certifier

    from ..factories import user_with_role

    w = access_world
    staff = user_with_role(Role.OEMM, certifier=Certifier.objects.get(code=certifier))
    jury_objects = {w.session.pk, w.fiche.pk, w.certificate.pk, w.convocation.pk}
    kwargs = url_kwargs(w)
    errors, checked = [], {"own": 0, "other": 0}
    for key in sorted(set(PATTERNS) & set(MATRIX)):
        entry = MATRIX[key]
        if "get" not in entry or row(entry["get"])["oemm"] != "200":
            continue
        args = kwargs.get(key, {})
        if args.get("number") == w.vae.number or (key.startswith("jury:") and args.get("pk") in jury_objects):
            owner = "ucanss"
        elif args.get("number") == w.formative.number:
            owner = "cpnefp_mutualite"
        else:
            continue
        route, pattern = PATTERNS[key]
        url = url_for(key, route, pattern, w, kwargs)
        with transaction.atomic():
            log_in(client, staff)
            status = client.get(url).status_code
            transaction.set_rollback(True)
        expected = 200 if owner == certifier else 404
        checked["own" if owner == certifier else "other"] += 1
        if status != expected:
            errors.append(f"GET {url}: expected {expected}, got {status}")
    assert checked["own"] >= 5 and checked["other"] >= 5, checked
    assert not errors, "\n".join(errors)
