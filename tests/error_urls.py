"""A URLconf for tests/test_error_reporting.py: a view that fails with personal data in its frames and message."""

from django.urls import path


def broken(request):
    nom = request.POST.get("nom")  # noqa: F841 - a local variable a reporter must not send
    courriel = request.POST.get("courriel")
    raise RuntimeError(f"Échec du traitement pour {courriel}")


urlpatterns = [path("casse/", broken)]
