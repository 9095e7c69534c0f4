"""cqp/pagination.py's exact_count: the same SQL and the same number as ``QuerySet.count()``."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from candidates.filters import DossierFilter
from candidates.models import Dossier
from cqp.enums import Role
from cqp.pagination import exact_count

from ..factories import user_with_role
from ..vae.conftest import cqp, make_dossier


def _counted(queryset):
    with CaptureQueriesContext(connection) as ctx:
        number = exact_count(queryset)
    return number, [q["sql"] for q in ctx.captured_queries]


def _django(queryset):
    with CaptureQueriesContext(connection) as ctx:
        number = queryset.count()
    return number, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_same_sql_and_number_as_count(referentiels, candidat, organisme_user):
    organisme = organisme_user.roles.get().organisme
    organisme.certifications.add(cqp("cos"))
    make_dossier(candidat, "cos", organisme)
    make_dossier(candidat, "gpac")
    other = user_with_role(Role.CANDIDAT)
    other.last_name = "O'Brien <b>"
    other.save()
    make_dossier(other, "cos")
    jury = user_with_role(Role.JURY)
    querysets = [
        Dossier.objects.filter(path="vae"),
        Dossier.objects.filter(path="vae").order_by("-created_at", "-pk"),
        Dossier.objects.filter(Q(path="vae") | Q(state="inscrit"), number__startswith="2"),
        Dossier.objects.filter(pk__in=[]),  # no query at all
        Dossier.objects.filter(pk__in=Dossier.objects.filter(path="vae").values("pk")),
        Dossier.objects.exclude(number__icontains="%'\"<"),
        Dossier.objects.filter(candidate__last_name__icontains="o'b"),  # a join: Django's count
        Dossier.objects.filter(path="vae").distinct(),
        Dossier.objects.filter(path="vae")[:1],
        Dossier.objects.visible_to(candidat),
        Dossier.objects.visible_to(organisme_user),
        Dossier.objects.visible_to(jury),
        DossierFilter({"path": "vae", "cqp": "cos"}, queryset=Dossier.objects.all()).qs.order_by(),
        DossierFilter({"q": "o'brien <b>"}, queryset=Dossier.objects.all()).qs.order_by(),
    ]
    for queryset in querysets:
        assert _counted(queryset) == _django(queryset), str(queryset.query)
    assert _counted(Dossier.objects.filter(path="vae"))[0] == 3
    assert _counted(Dossier.objects.filter(pk__in=[])) == (0, [])
    assert _counted(Dossier.objects.visible_to(candidat))[0] == 2


@pytest.mark.django_db
def test_one_table_queries_skip_the_orm_aggregation(monkeypatch, candidat):
    def refused(self):
        raise AssertionError("QuerySet.count() called")

    monkeypatch.setattr(type(Dossier.objects.all()), "count", refused)
    assert exact_count(Dossier.objects.filter(path="vae").order_by("-pk")) == 0
    assert exact_count(Dossier.objects.visible_to(candidat)) == 0
