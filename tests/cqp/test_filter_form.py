"""cqp/filter_form.py writes a list's filter fields as templates/cqp/_list_tools.html's loop did, byte for byte."""

from urllib.parse import quote

import pytest
from django import forms
from django.http import QueryDict
from django.template import engines

from candidates.filters import DossierFilter
from cqp import filter_form
from cqp.filters import AccountFilter, EntrepriseFilter, OrganismeFilter
from cqp.form_rendering import RENDERER, Unsupported
from pilotage.filters import DeletionRequestFilter, RegisterFilter
from vae.filters import RecevabiliteFilter

# the loop the template had before {% filter_fields %}
LOOP = engines["django"].from_string(
    '{% for field in form %}{% if field.name != "tri" %}\n'
    '  <div class="col-md">{{ field.label_tag }}{{ field }}</div>\n'
    "  {% endif %}{% endfor %}"
)
HOSTILE = "\"><script>alert(1)</script>&amp;'<b>"
ENCODED = quote(HOSTILE)
QUERIES = [
    None,
    "",
    "cqp=gpac",
    "cqp=gpac&path=vae&page=3",
    "path=formation&state=inscrit&tri=-voie",
    "state=clos&state=inscrit",
    "q=dupont&tri=-cqp",
    f"q={ENCODED}",
    "q=%C3%A9t%C3%A9%20%C2%AB%20x%20%C2%BB",
    "role=oemm&q=demo",
    "etat=due",
    "cqp=&path=&state=",
    "tri=nom",
]
FILTERS = [DossierFilter, RecevabiliteFilter, AccountFilter, OrganismeFilter, EntrepriseFilter, RegisterFilter]


def _form(filterset_class, query):
    data = None if query is None else QueryDict(query, mutable=True)
    filterset = filterset_class(data or None, queryset=filterset_class._meta.model.objects.none())
    filterset.is_valid()
    return filterset.form


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERS)
@pytest.mark.parametrize("query", QUERIES)
def test_same_html_as_the_template_loop(filterset_class, query):
    written = filter_form.filter_fields(_form(filterset_class, query))
    assert written == LOOP.render({"form": _form(filterset_class, query)})


@pytest.mark.django_db
def test_the_fast_path_is_taken_for_the_dossiers_filters_and_escapes():
    form = _form(DossierFilter, f"q={ENCODED}&path=vae")
    html = "".join(filter_form._written(form))  # no fallback
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&#x27;&lt;b&gt;"' in html
    assert '<option value="vae" selected>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["cqp=nope", f"path={ENCODED}", "state=xx&q=a"])
def test_a_form_with_errors_goes_through_the_boundfields(query):
    form = _form(DossierFilter, query)
    with pytest.raises(Unsupported):
        list(filter_form._written(form))
    assert filter_form.filter_fields(form) == LOOP.render({"form": _form(DossierFilter, query)})
    assert 'aria-invalid="true"' in filter_form.filter_fields(form)


class OtherWidgets(forms.Form):
    q = forms.CharField(label="Nom ?", required=False, help_text="Aide <b>")
    day = forms.DateField(label="Jour", required=False, widget=forms.DateInput({"type": "date"}))
    needed = forms.CharField(label="Requis")


@pytest.mark.parametrize("data", [None, {"q": HOSTILE, "day": "2026-01-02"}, {"needed": "x"}])
def test_other_widgets_go_through_the_boundfields(data):
    form = OtherWidgets(data)
    with pytest.raises(Unsupported):
        list(filter_form._written(form))
    assert filter_form.filter_fields(form) == LOOP.render({"form": OtherWidgets(data)})


class Punctuated(forms.Form):
    default_renderer = RENDERER
    q = forms.CharField(label="Qui ?", required=False, max_length=60)
    kind = forms.ChoiceField(label="Genre", required=False, choices=[("", "Tous"), (1, "Un"), ("a&b", "A & B")])


class Grouped(Punctuated):
    path = forms.ChoiceField(label="Voie", required=False, choices=[("", "Toutes"), ("Groupe", [("vae", "VAE")])])


@pytest.mark.parametrize("data", [None, {"q": HOSTILE, "kind": "1"}, {"kind": "a&b"}])
def test_a_label_ending_with_punctuation_gets_no_suffix(data):
    written = "".join(filter_form._written(Punctuated(data)))  # no fallback
    assert written == LOOP.render({"form": Punctuated(data)})
    assert "Qui ?</label>" in written


def test_choices_in_groups_go_through_the_boundfields():
    with pytest.raises(Unsupported):
        list(filter_form._written(Grouped({"path": "vae"})))
    assert filter_form.filter_fields(Grouped({"path": "vae"})) == LOOP.render({"form": Grouped({"path": "vae"})})


@pytest.mark.django_db
def test_defaults_filterset_is_written_the_same():
    for query in (None, "state=done", f"state={ENCODED}"):
        assert filter_form.filter_fields(_form(DeletionRequestFilter, query)) == LOOP.render(
            {"form": _form(DeletionRequestFilter, query)}
        )
