"""cqp/form_rendering.py writes the same HTML as Django's form templates, byte for byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property, lazy
from django.utils.safestring import mark_safe

from candidates.filters import DossierFilter
from cqp.form_rendering import DJANGO_FORMS, FastFormRenderer

lazy_text = lazy(lambda text: text, str)


class SampleForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=20)
    needed = forms.CharField(label="Nom « complet » ?", help_text="Aide <b>", widget=forms.TextInput({"x": True}))
    year = forms.IntegerField(label="Année", required=False, min_value=1900, max_value=2999)
    day = forms.DateField(label="Jour", required=False, widget=forms.DateInput({"type": "date", "off": False}))
    mail = forms.EmailField(label=lazy_text("E-mail"), required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous"), ("", "Tous"), ("a&b", "A & B"), (1, "Un"), ("x", mark_safe("<em>X</em>")), (2, 2)],
    )
    grouped = forms.ChoiceField(
        label="Groupes",
        choices=[("", "—"), ("Groupe « 1 »", [("g1", "G1"), ("g2", lazy_text("G2"))]), ("solo", "Solo")],
    )
    many = forms.MultipleChoiceField(label="Plusieurs", required=False, choices=[("a", "A"), ("b", "B"), ("c", "C")])
    boolean = forms.NullBooleanField(label="Oui ou non", required=False)
    no_label = forms.CharField(label="", required=False)


DATA = [
    None,
    {},
    {"q": "l'\"<&>", "year": "2026", "state": "a&b", "grouped": "g2", "many": ["a", "c"], "boolean": "true"},
    {"q": "x", "year": "²", "state": "zz", "grouped": "nope", "needed": "ok", "day": "2026-02-30", "mail": "pas@"},
    {"state": "", "grouped": "solo", "many": ["b"], "hidden": 'h"'},
]


def rendered(form):
    parts = []
    for field in form:
        parts += [field.label_tag(), field.label_tag(attrs={"class": "c"}, label_suffix=""), str(field)]
        parts += [field.legend_tag(), field.as_widget(attrs={"data-x": "1"})]
    parts.append(form.as_div())
    return parts


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_the_fast_renderer_writes_what_the_templates_write(data, auto_id):
    slow = rendered(SampleForm(data, auto_id=auto_id, renderer=DjangoTemplates()))
    fast = rendered(SampleForm(data, auto_id=auto_id, renderer=FastFormRenderer()))
    assert fast == slow


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"cqp": "gpac", "path": "vae", "q": 'a"b'}, {"state": "zz", "tri": "x"}])
def test_the_dossiers_filter_form_is_written_as_before(referentiels, data):
    fast = DossierFilter(data)
    assert type(fast.form).default_renderer.__class__ is FastFormRenderer
    slow = DossierFilter(data)
    slow_form = slow.form
    slow_form.renderer = DjangoTemplates()
    assert rendered(fast.form) == rendered(slow_form)


class OverridingRenderer(FastFormRenderer):
    """Finds templates in ``directory`` before Django's own (as an installed app's templates would)."""

    def __init__(self, directory):
        self.directory = directory

    @cached_property
    def engine(self):
        return self.backend({"APP_DIRS": False, "DIRS": [self.directory, DJANGO_FORMS], "NAME": "t", "OPTIONS": {}})


def test_a_template_overridden_is_rendered_by_the_engine(tmp_path):
    (tmp_path / "django/forms/widgets").mkdir(parents=True)
    (tmp_path / "django/forms/widgets/select_option.html").write_text("<option>{{ widget.label }} !</option>")
    form = SampleForm({"q": "x"}, renderer=OverridingRenderer(tmp_path))
    assert "<option>Tous !</option>" in str(form["state"])
    assert str(form["q"]) == str(SampleForm({"q": "x"})["q"])


@pytest.mark.django_db
def test_each_filter_select_offers_its_empty_choice_once(referentiels):
    form = DossierFilter({"cqp": "gpac"}).form
    for name, empty in (("cqp", "Tous les CQP"), ("path", "Toutes les voies"), ("state", "Tous les états")):
        html = str(form[name])
        assert html.count(empty) == 1, name
    assert [value for value, _ in form.fields["path"].choices] == ["", "vae", "formation"]
    assert 'value="gpac" selected' in str(form["cqp"])
