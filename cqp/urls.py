from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account_views, oemm_views, personal_data_views, views
from .forms import LoginForm

admin.site.site_header = "CQP Mutualité — administration"
admin.site.site_title = "CQP Mutualité"
handler500 = "cqp.middleware.server_error"  # a database outage raised before the view: the 503 page

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.switch_role, name="switch_role"),
    path("rappels/", views.my_reminders, name="my_reminders"),
    path("candidat/", views.dashboard_candidat, name="dashboard_candidat"),
    path("organisme/", views.dashboard_organisme, name="dashboard_organisme"),
    path("entreprise/", views.dashboard_entreprise, name="dashboard_entreprise"),
    path("oemm/", views.dashboard_oemm, name="dashboard_oemm"),
    path("jury/", views.dashboard_jury, name="dashboard_jury"),
    path("oemm/echeances/", oemm_views.deadlines, name="oemm_deadlines"),
    path("oemm/comptes/", oemm_views.account_list, name="oemm_accounts"),
    path("oemm/comptes/inviter/", oemm_views.account_invite, name="oemm_account_invite"),
    path("oemm/comptes/<int:pk>/renvoyer/", oemm_views.account_resend, name="oemm_account_resend"),
    path("oemm/organismes/", oemm_views.organisation_list, {"kind": "organisme"}, name="oemm_organismes"),
    path("oemm/organismes/nouveau/", oemm_views.organisation_edit, {"kind": "organisme"}, name="oemm_organisme_new"),
    path("oemm/organismes/<int:pk>/", oemm_views.organisation_edit, {"kind": "organisme"}, name="oemm_organisme_edit"),
    path("oemm/entreprises/", oemm_views.organisation_list, {"kind": "entreprise"}, name="oemm_entreprises"),
    path("oemm/entreprises/nouvelle/", oemm_views.organisation_edit, {"kind": "entreprise"}, name="oemm_entreprise_new"),
    path("oemm/entreprises/<int:pk>/", oemm_views.organisation_edit, {"kind": "entreprise"}, name="oemm_entreprise_edit"),
    path("mes-donnees/", personal_data_views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", personal_data_views.my_data_export, name="my_data_export"),
    path("mes-donnees/effacement/", personal_data_views.my_deletion_request, name="my_deletion_request"),
    path("oemm/donnees-personnelles/", personal_data_views.deletion_requests, name="oemm_deletion_requests"),
    path("oemm/donnees-personnelles/<int:pk>/", personal_data_views.deletion_request_detail, name="oemm_deletion_request"),
    path("oemm/donnees-personnelles/<int:pk>/anonymiser/", personal_data_views.deletion_request_treat,
         {"decision": "anonymiser"}, name="oemm_deletion_request_accept"),
    path("oemm/donnees-personnelles/<int:pk>/refuser/", personal_data_views.deletion_request_treat,
         {"decision": "refuser"}, name="oemm_deletion_request_refuse"),
    path("oemm/conservation/", personal_data_views.retention, name="oemm_retention"),
    path("oemm/conservation/<int:pk>/anonymiser/", personal_data_views.retention_anonymise, name="oemm_retention_anonymise"),
    path("oemm/statistiques/", personal_data_views.statistics, name="oemm_statistics"),
    path("inscription/", account_views.signup, name="signup"),
    path("inscription/confirmer/<uidb64>/<token>/", account_views.signup_confirm, name="signup_confirm"),
    path("invitation/<uidb64>/<token>/", account_views.invitation_accept, name="invitation_accept"),
    path("compte/adresse/", account_views.change_email, name="email_change"),
    path("compte/adresse/confirmer/<str:token>/", account_views.change_email_confirm, name="email_change_confirm"),
    path("compte/double-authentification/", account_views.two_factor_settings, name="two_factor"),
    path("compte/double-authentification/nouvelle/", account_views.two_factor_start, name="two_factor_start"),
    path("compte/double-authentification/activer/", account_views.two_factor_enable, name="two_factor_enable"),
    path("compte/double-authentification/desactiver/", account_views.two_factor_disable, name="two_factor_disable"),
    path("connexion/code/", account_views.two_factor_verify, name="two_factor_verify"),
    path("connexion/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/termine/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/changer/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("cqp/", include("referentiels.urls")),
    path("dossiers/", include("candidates.urls")),
    path("jury/sessions/", include("jury.urls")),
    path("verifier/", include("jury.public_urls")),
    path("vae/", include("vae.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:  # make bench only (cqp/bench.py)
    from . import bench

    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))
