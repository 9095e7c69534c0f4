from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account_views, health, legal_views, oemm_views, throttle, views
from .forms import LoginForm

admin.site.site_header = "CQP Mutualité — administration"
admin.site.site_title = "CQP Mutualité"
handler500 = "cqp.middleware.server_error"  # a database outage raised before the view: the 503 page

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),  # probes (Docker, proxy): answered first by cqp.health's middleware
    path("role/", views.switch_role, name="switch_role"),
    path("mentions-legales/", legal_views.legal_notice, name="legal_notice"),
    path("confidentialite/", legal_views.privacy, name="privacy"),
    path("accessibilite/", legal_views.accessibility, name="accessibility"),
    path("conditions-utilisation/", legal_views.terms, name="terms"),
    path("contact/", legal_views.contact, name="contact"),
    path("oemm/comptes/", oemm_views.account_list, name="oemm_accounts"),
    path("oemm/comptes/inviter/", oemm_views.account_invite, name="oemm_account_invite"),
    path("oemm/comptes/<int:pk>/renvoyer/", oemm_views.account_resend, name="oemm_account_resend"),
    path("oemm/organismes/", oemm_views.organisation_list, {"kind": "organisme"}, name="oemm_organismes"),
    path("oemm/organismes/nouveau/", oemm_views.organisation_edit, {"kind": "organisme"}, name="oemm_organisme_new"),
    path("oemm/organismes/<int:pk>/", oemm_views.organisation_edit, {"kind": "organisme"}, name="oemm_organisme_edit"),
    path("oemm/entreprises/", oemm_views.organisation_list, {"kind": "entreprise"}, name="oemm_entreprises"),
    path(
        "oemm/entreprises/nouvelle/", oemm_views.organisation_edit, {"kind": "entreprise"}, name="oemm_entreprise_new"
    ),
    path(
        "oemm/entreprises/<int:pk>/", oemm_views.organisation_edit, {"kind": "entreprise"}, name="oemm_entreprise_edit"
    ),
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
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", throttle.password_reset_view(), name="password_reset"),  # per IP and per address
    path("mot-de-passe/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("mot-de-passe/termine/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/changer/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("pilotage.urls")),
    path("cqp/", include("referentiels.urls")),
    path("dossiers/", include("candidates.urls")),
    path("jury/sessions/", include("jury.urls")),
    path("verifier/", include("jury.public_urls")),
    path("vae/", include("vae.urls")),
    path("notifications/", include("notifications.urls")),
    path("messages/", include("messagerie.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:  # make bench only (cqp/bench.py)
    from . import bench

    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))
    urlpatterns.append(path("bench/bare-session/", bench.bare_session, name="bench_bare_session"))
