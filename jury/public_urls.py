"""Public pages of the jury app (no login): verification of a CQP certificate, and of a sealed PDF."""

from django.urls import path

from cqp.throttle import throttle_get_by_ip, throttle_post_by_ip

from . import views

app_name = "verification"
urlpatterns = [
    # before <code>/: the public check of an uploaded PDF's seal (each POST counted per IP)
    path("document/", throttle_post_by_ip("verify_ip")(views.verify_document), name="verify_document"),
    path("<str:code>/", throttle_get_by_ip("verify_ip")(views.verify), name="verify"),  # per IP: cqp/throttle.py
]
