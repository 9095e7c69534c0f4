import pytest
from django.urls import reverse

from referentiels.models import Certification


def test_the_catalogue_is_public_and_lists_the_four_cqps(client, referentiels):
    response = client.get(reverse("referentiels:catalogue"))
    assert response.status_code == 200
    for certification in Certification.objects.all():
        assert certification.title in response.content.decode()


@pytest.mark.parametrize("code", ["spsp", "gpac", "cmi", "cos"])
def test_each_referentiel_page_shows_its_units_and_texts(client, referentiels, code):
    version = Certification.objects.get(code=code).current_version
    page = client.get(reverse("referentiels:detail", args=[code])).content.decode()
    import html

    page = html.unescape(page)
    for unit in version.units.all():
        assert unit.title in page
        for competence in unit.competences.all():
            assert competence.text in page
        for knowledge in unit.knowledge.all():
            assert knowledge.text in page
        for criterion in unit.criteria.filter(kind="referentiel"):
            assert criterion.text in page


def test_referentiel_page_queries_do_not_grow_with_units(client, referentiels, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        client.get(reverse("referentiels:detail", args=["cmi"]))


def test_unknown_cqp_or_version_is_404(client, referentiels):
    assert client.get(reverse("referentiels:detail", args=["inconnu"])).status_code == 404
    assert client.get(reverse("referentiels:version", args=["gpac", 9])).status_code == 404
