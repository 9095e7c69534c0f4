"""``{% once %}`` (cqp/templatetags/once.py): constant HTML rendered once per process, variables refused."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.templatetags.static import static
from django.urls import clear_script_prefix, reverse, set_script_prefix

ENGINE = Engine(libraries={"once": "cqp.templatetags.once", "static": "django.templatetags.static"})


def test_the_fragment_is_rendered_once_and_reused(monkeypatch):
    template = ENGINE.from_string(
        "{% load once static %}{% once %}<a href=\"{% url 'legal_notice' %}\">x</a>"
        "<link href=\"{% static 'css/app.css' %}\">{% endonce %}"
    )
    expected = f'<a href="{reverse("legal_notice")}">x</a><link href="{static("css/app.css")}">'
    assert template.render(Context()) == expected
    calls = []
    monkeypatch.setattr("django.urls.reverse", lambda *a, **k: calls.append(a) or "/autre/")
    assert template.render(Context({"user": "quelqu'un"})) == expected
    assert calls == []


def test_each_script_prefix_has_its_own_html():
    template = ENGINE.from_string("{% load once %}{% once %}{% url 'legal_notice' %}{% endonce %}")
    assert template.render(Context()) == "/mentions-legales/"
    set_script_prefix("/cqp/")
    try:
        assert template.render(Context()) == "/cqp/mentions-legales/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert template.render(Context()) == "/mentions-legales/"


@pytest.mark.parametrize(
    "body",
    [
        "{{ user }}",
        "{% if user %}x{% endif %}",
        "{% csrf_token %}",
        "{% url name %}",
        "{% url 'legal_notice' as link %}",
        "{% url 'dossier' number %}",
        "{% static path %}",
        "{% static 'css/app.css' as css %}",
    ],
)
def test_what_depends_on_the_request_is_refused(body):
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string("{% load once static %}{% once %}" + body + "{% endonce %}")


def test_a_changed_setting_renders_the_fragment_again(settings):
    template = ENGINE.from_string("{% load once static %}{% once %}{% static 'css/app.css' %}{% endonce %}")
    assert template.render(Context()) == static("css/app.css")
    settings.STATIC_URL = "/autres-fichiers/"
    assert template.render(Context()) == "/autres-fichiers/css/app.css"


def test_the_prefix_and_language_are_read_once_per_render(monkeypatch):
    template = ENGINE.from_string(
        "{% load once %}{% once %}{% url 'legal_notice' %}{% endonce %} {% once %}{% url 'privacy' %}{% endonce %}"
    )
    expected = f"{reverse('legal_notice')} {reverse('privacy')}"
    assert template.render(Context()) == expected
    reads = []
    monkeypatch.setattr("cqp.templatetags.once.get_language", lambda: reads.append(1) or "fr")
    assert template.render(Context()) == expected
    assert reads == [1]  # the first {% once %} of the render, kept for the second


def test_no_once_inside_a_language_block():
    engine = Engine(libraries={"once": "cqp.templatetags.once", "i18n": "django.templatetags.i18n"})
    with pytest.raises(TemplateSyntaxError):
        engine.from_string("{% load once i18n %}{% language 'en' %}{% once %}x{% endonce %}{% endlanguage %}")
