from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Certification
from .selectors import catalogue, version_tree


def catalogue_view(request):
    return render(request, "referentiels/catalogue.html", {"certifications": catalogue()})


def detail_view(request, code, number=None):
    certification = get_object_or_404(Certification, code=code)
    versions = certification.versions.order_by("-number")
    version = (versions.filter(is_current=True) if number is None else versions.filter(number=number)).first()
    if version is None:
        raise Http404("Aucune version de ce référentiel.")
    tree = version_tree(version.pk)
    return render(
        request,
        "referentiels/detail.html",
        {
            "certification": certification,
            "version": tree,
            "other_versions": [v for v in versions if v.pk != version.pk],
            "organismes": certification.organismes.order_by("name"),
        },
    )
