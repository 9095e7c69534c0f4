"""Pilotage's pages, included at the root by cqp/urls.py (names and paths unchanged since they left cqp)."""

from django.urls import path

from . import outbox_views, personal_data_views, views
from .cockpit import export_views, statistics_views
from .cockpit import views as cockpit_views
from .register import views as register_views

urlpatterns = [
    path("rappels/", views.my_reminders, name="my_reminders"),
    path("candidat/", views.dashboard_candidat, name="dashboard_candidat"),
    path("organisme/", views.dashboard_organisme, name="dashboard_organisme"),
    path("entreprise/", views.dashboard_entreprise, name="dashboard_entreprise"),
    path("oemm/", views.dashboard_oemm, name="dashboard_oemm"),
    path("jury/", views.dashboard_jury, name="dashboard_jury"),
    path("oemm/echeances/", views.deadlines, name="oemm_deadlines"),
    path("oemm/exports/<slug:key>.<slug:fmt>", export_views.export, name="oemm_export"),
    path("oemm/registre/", register_views.register, name="oemm_register"),
    path("oemm/registre/exporter/", register_views.export_batch, name="oemm_register_export"),
    path("oemm/registre/lots/<int:pk>/transmis/", register_views.mark_transmitted, name="oemm_register_transmitted"),
    path("oemm/files/<slug:key>/", cockpit_views.queue_page, name="oemm_queue"),
    path("oemm/files/<slug:key>/action/", cockpit_views.queue_bulk, name="oemm_queue_bulk"),
    path("oemm/sessions/<int:pk>/convoquer-tous/", cockpit_views.session_convoke_all, name="oemm_session_convoke_all"),
    path(
        "oemm/sessions/<int:pk>/presence-tous/",
        cockpit_views.session_attendance_all,
        name="oemm_session_attendance_all",
    ),
    path("mes-donnees/", personal_data_views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", personal_data_views.my_data_export, name="my_data_export"),
    path("mes-donnees/effacement/", personal_data_views.my_deletion_request, name="my_deletion_request"),
    path("oemm/donnees-personnelles/", personal_data_views.deletion_requests, name="oemm_deletion_requests"),
    path(
        "oemm/donnees-personnelles/<int:pk>/", personal_data_views.deletion_request_detail, name="oemm_deletion_request"
    ),
    path(
        "oemm/donnees-personnelles/<int:pk>/anonymiser/",
        personal_data_views.deletion_request_treat,
        {"decision": "anonymiser"},
        name="oemm_deletion_request_accept",
    ),
    path(
        "oemm/donnees-personnelles/<int:pk>/refuser/",
        personal_data_views.deletion_request_treat,
        {"decision": "refuser"},
        name="oemm_deletion_request_refuse",
    ),
    path("oemm/conservation/", personal_data_views.retention, name="oemm_retention"),
    path(
        "oemm/conservation/<int:pk>/anonymiser/",
        personal_data_views.retention_anonymise,
        name="oemm_retention_anonymise",
    ),
    path("oemm/e-mails/", outbox_views.emails, name="oemm_emails"),
    path("oemm/e-mails/<int:pk>/renvoyer/", outbox_views.email_resend, name="oemm_email_resend"),
    path("oemm/e-mails/renvoyer-tout/", outbox_views.emails_resend_all, name="oemm_emails_resend_all"),
    path("oemm/statistiques/", statistics_views.statistics, name="oemm_statistics"),
    path("oemm/statistiques/<slug:figure>.csv", statistics_views.statistics_csv, name="oemm_statistics_csv"),
]
