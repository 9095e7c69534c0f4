"""``{% cached_url %}`` (cqp/templatetags/list_tools.py): ``{% url %}``'s link, reversed once per process and prefix."""

from django.template import Context, Engine
from django.urls import clear_script_prefix, reverse, set_script_prefix

from cqp import roles

ENGINE = Engine(libraries={"list_tools": "cqp.templatetags.list_tools"})
TAGS = "{% load list_tools %}{% cached_url 'oemm_export' key 'csv' %} {% url 'oemm_export' key 'csv' %}"


def test_the_same_link_as_url_reversed_once(monkeypatch):
    template = ENGINE.from_string(TAGS)
    url = reverse("oemm_export", args=["dossiers", "csv"])
    assert template.render(Context({"key": "dossiers"})) == f"{url} {url}"
    calls = []
    monkeypatch.setattr(roles, "reverse", lambda *a, **k: calls.append(a) or "/autre/")
    assert template.render(Context({"key": "dossiers"})).split()[0] == url
    assert calls == []


def test_each_argument_and_prefix_has_its_own_link():
    template = ENGINE.from_string(TAGS)
    for key in ("dossiers", "comptes"):
        first, second = template.render(Context({"key": key})).split()
        assert first == second == reverse("oemm_export", args=[key, "csv"])
    set_script_prefix("/cqp/")
    try:
        first, second = template.render(Context({"key": "comptes"})).split()
        assert first == second and first.startswith("/cqp/")
    finally:
        clear_script_prefix()
        set_script_prefix("/")
