"""``{% extends %}`` (cqp/templatetags/inheritance.py, a builtin replacing Django's): the root template's blocks found
once per loaded template, the pages unchanged."""

from django.template import Context, Engine

from cqp.templatetags import inheritance

TEMPLATES = {
    "root.html": "<{% block title %}racine{% endblock %}|{% block body %}corps{% endblock %}>",
    "middle.html": "{% extends 'root.html' %}{% block body %}milieu {{ block.super }}{% endblock %}",
    "page.html": "{% extends 'middle.html' %}{% block title %}{{ name }}{% endblock %}",
    "other.html": "{% extends 'root.html' %}{% block title %}autre{% endblock %}",
}


def engine(builtins):
    return Engine(
        loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])],
        builtins=builtins,
    )


def test_the_same_pages_as_djangos_extends():
    ours, django = engine(["cqp.templatetags.inheritance"]), engine([])
    for name in ("page.html", "other.html", "middle.html"):
        for _ in range(2):
            html = ours.get_template(name).render(Context({"name": "nom"}))
            assert html == django.get_template(name).render(Context({"name": "nom"}))
    assert ours.get_template("page.html").render(Context({"name": "nom"})) == "<nom|milieu corps>"


def test_the_roots_blocks_are_walked_once(monkeypatch):
    ours = engine(["cqp.templatetags.inheritance"])
    assert ours.get_template("page.html").render(Context({"name": "nom"})) == "<nom|milieu corps>"
    monkeypatch.setattr(inheritance, "BlockNode", type("Spy", (), {}))  # a new walk would find no block
    assert ours.get_template("page.html").render(Context({"name": "nom"})) == "<nom|milieu corps>"
    monkeypatch.setattr(inheritance, "_ROOT_BLOCKS", {})  # forgotten: walked again, no block found, no block.super
    assert ours.get_template("page.html").render(Context({"name": "nom"})) == "<nom|milieu >"


def test_the_projects_engine_uses_it():
    from django.template import engines

    template = engines["django"].from_string("{% extends 'base.html' %}")
    assert isinstance(template.template.nodelist[0], inheritance.ExtendsNode)
