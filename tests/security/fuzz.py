"""The engine of the property-based form tests: read a form from its page, post random data, check the answer.

A scenario says who posts, where the form is shown (``page``) and where it is posted (``action``); the fields are read
from the rendered HTML (names, options), so a new field is fuzzed without touching the tests.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.messages import get_messages
from hypothesis import strategies as st

OUR_APPS = ("cqp", "referentiels", "candidates", "vae", "jury", "notifications", "pilotage")

# Values that have broken web forms somewhere: NUL and control characters, right-to-left marks, emoji, markup,
# template syntax, impossible or extreme dates, malformed numbers, very long text.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "\x01\x02\x1b[31m\x7f",
    "\u202egnp.exe\u202c",
    "مرحبا بالعالم",
    "שָׁלוֹם",
    "👩‍👩‍👧‍👦🎉🇫🇷",
    "\ufeff\u200b\u200d",
    "Ｆｕｌｌｗｉｄｔｈ",
    "é" * 300,
    "<script>alert(1)</script><b>x</b>&",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE cqp_user; --",
    "%s%n%x",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "31/02/2026",
    "00/00/0000",
    "1/1/1",
    "2026-02-30T25:61",
    "-1",
    "0",
    "-0",
    "1.5",
    "1,5",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "0x1F",
    "٣",
    "25:61",
    "javascript:alert(1)",
    "http://",
    "../../etc/passwd",
    "x" * 100_000,
    "\x00" * 1000,
]
SAFE_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
NASTY_VALUE = st.one_of(st.sampled_from(NASTY), SAFE_TEXT, st.integers().map(str))

FRENCH_ERROR = re.compile(
    r"Ce champ|Saisissez|Indiquez|Choisissez|Sélectionnez|Assurez-vous|Cochez|n'est pas|invalide|incorrect|"
    r"doit|ne peut|refusé|Refusé|impossible|Impossible|manque|erreur|Erreur|trop|au plus|au moins|correspondent|"
    r"existe déjà|caractères nuls|Enregistré|enregistré|Aucun fichier|fichier|autorisé|déjà|obligatoire",
)
HTML_ERROR_MARKERS = ("invalid-feedback", "errorlist", "alert-danger", "alert-warning", "text-danger", "is-invalid")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, date, number, ...
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False


class _FormParser(HTMLParser):
    """Every field of every <form> (and of fields outside a form tag, attached to the page)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(method, action, {name: Field})]
        self.current = None
        self.loose = {}
        self._select = None
        self._option = None
        self._textarea = None

    def _fields(self):
        return self.current[2] if self.current is not None else self.loose

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = ((a.get("method") or "get").lower(), a.get("action") or "", {})
            self.forms.append(self.current)
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self._fields()[a["name"]] = Field(a["name"], "submit", a.get("value", ""))
                return
            if kind in ("button", "image", "reset"):
                return
            fields = self._fields()
            existing = fields.get(a["name"])
            if kind in ("radio", "checkbox") and existing is not None:
                existing.options.append(a.get("value", "on"))
                if "checked" in a and kind == "radio":
                    existing.value = a.get("value", "on")
                existing.multiple = existing.multiple or kind == "checkbox"
                return
            value = a.get("value", "")
            if kind in ("radio", "checkbox"):
                fields[a["name"]] = Field(a["name"], kind, value if "checked" in a else "", [a.get("value", "on")])
            else:
                fields[a["name"]] = Field(a["name"], kind, value)
        elif tag == "button" and a.get("name") and (a.get("type") or "submit").lower() == "submit":
            self._fields()[a["name"]] = Field(a["name"], "submit", a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", "", [], "multiple" in a)
            self._fields()[a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = value
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", "")
            self._fields()[a["name"]] = self._textarea

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def read_fields(page_html: str, action: str, page_url: str) -> dict[str, Field]:
    """The fields of the POST form posted to ``action`` (or the loose fields of a page whose form tag is elsewhere)."""
    parser = _FormParser()
    parser.feed(page_html)
    found = {}
    for method, form_action, fields in parser.forms:
        target = html.unescape(form_action) or page_url
        if method == "post" and target.split("?")[0] == action:
            found.update(fields)
    if not found:
        found = dict(parser.loose)
    found.pop("csrfmiddlewaretoken", None)
    return found


@st.composite
def post_data(draw, fields: dict[str, Field]):
    """For each field: its current value, one of its options, or something nasty; sometimes the field is left out."""
    data = {}
    buttons = sorted(name for name, f in fields.items() if f.kind == "submit")
    if buttons:  # as a browser: the value of the one button pressed
        pressed = fields[draw(st.sampled_from(buttons))]
        data[pressed.name] = pressed.value
    for name, f in sorted(fields.items()):
        if f.kind in ("file", "submit"):
            continue
        # Hidden management fields (versions, formset counts) are usually kept, so that the save path is reached.
        keep_weight = 8 if f.kind == "hidden" else 2
        choice = draw(st.sampled_from(["keep"] * keep_weight + ["option", "nasty", "nasty", "omit"]))
        if choice == "omit":
            continue
        if choice == "option" and f.options:
            if f.multiple:
                data[name] = draw(st.lists(st.sampled_from(f.options), max_size=4, unique=True))
            else:
                data[name] = draw(st.sampled_from(f.options))
        elif choice in ("keep", "option"):
            if f.value != "" or f.kind not in ("radio", "checkbox"):
                data[name] = f.value
        else:
            data[name] = draw(NASTY_VALUE)
    return data


WRITTEN_APPS = ("cqp", "candidates", "vae", "jury")  # referentiels: loaded once, written by no form


def snapshot() -> dict:
    """Every row of the tables the forms write (history tables included), read with plain SQL (fast):
    compared before and after a refused post."""
    from django.db import connection

    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in WRITTEN_APPS and m._meta.managed
        }
    )
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            state[table] = cursor.fetchall()
    return state


def diff(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


@dataclass
class Scenario:
    """One form posted through its view by a user allowed to, with the objects in the right state."""

    forms: tuple  # the form classes this view builds from the post
    build: Callable  # (world) -> dict(user=..., page=url, action=url)
    autosave: bool = False  # a draft endpoint: partial saves of the valid fields are intended
    htmx: bool = False
    files: tuple = ()  # names of file inputs to fill
    fixed: Callable | None = None  # (ctx) -> fields to set before each post (e.g. the current version)
    ok_status: tuple = (200, 302, 400, 409, 422)


def messages_of(response) -> list[str]:
    try:
        return [str(m) for m in get_messages(response.wsgi_request)]
    except Exception:
        return []


def page_text(response) -> str:
    return html.unescape(response.content.decode("utf-8", "replace"))
