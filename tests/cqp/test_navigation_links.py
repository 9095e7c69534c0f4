"""The navigation bar's HTML (cqp/context_processors.py ``NavigationLinks``): the active link marked, the HTML written
once per list of links and active link, then reused."""

from types import SimpleNamespace

from cqp import context_processors
from cqp.context_processors import NavigationLinks

ITEMS = [("Tableau de bord", "/oemm/"), ("Dossiers", "/dossiers/"), ("L'équipe & co", "/equipe/")]


def html(path, items=ITEMS) -> str:
    return str(NavigationLinks(SimpleNamespace(path=path), list(items)))


def test_the_active_link_is_marked_and_text_escaped():
    page = html("/dossiers/")
    assert page.count('aria-current="page"') == 1
    assert '<a class="nav-link active" aria-current="page" href="/dossiers/">Dossiers</a>' in page
    assert "L&#x27;équipe &amp; co" in page
    assert 'aria-current="page"' not in html("/ailleurs/")


def test_written_once_per_links_and_active_link(monkeypatch):
    monkeypatch.setattr(context_processors, "_HTML", {})
    first, other = html("/oemm/"), html("/une/page/")
    assert len(context_processors._HTML) == 2
    assert html("/oemm/") is first and html("/autre/page/") is other  # any path outside the links: the same HTML
    assert html("/dossiers/", ITEMS[:2]) != html("/dossiers/") and len(context_processors._HTML) == 4
