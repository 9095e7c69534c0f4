"""The machinery of the access matrix (``test_access_matrix.py``): every URL pattern of the project, a concrete URL
for each (the admin's from its model), the generic rule of the admin URLs, and how a response is read as a token
(« L », « R », a status code...) and checked for writes."""

import re

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_world import PERSONAS

# ----------------------------------------------------------------------------------------------- the URL patterns


def walk(resolver=None, prefix="", namespace=""):
    """Every URLPattern as (key, route, pattern): key is ``ns:name`` (or ``ns:<route>`` when the pattern has no
    name).
    """
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            yield (namespace + (p.name or f"<{route}>")), route, p


def patterns():
    return {key: (route, pattern) for key, route, pattern in walk()}


def admin_model(key):
    """The model of an admin pattern (``admin:cqp_user_change`` → User), None for the site-wide pages."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        unnamed = f"admin:<admin/{model._meta.app_label}/{model._meta.model_name}/"
        if key.startswith(prefix) or key.startswith(unnamed):
            return model
    return None


def admin_url(key, route, pattern, w):
    """A concrete URL for an admin pattern: the first object of the pattern's model (pk 1 when there is none)."""
    model = admin_model(key)
    if key == "admin:auth_user_password_change":  # UserAdmin names this one after auth, not after its model
        from cqp.models import User as model
    obj = model.objects.order_by("pk").first() if model else None
    pk = obj.pk if obj else 1
    if key == "admin:view_on_site":
        return reverse(
            key, kwargs={"content_type_id": ContentType.objects.get_for_model(w.vae).pk, "object_id": w.vae.pk}
        )
    if route.endswith("^([^/]+)/history/([^/]+)/$"):  # django-simple-history: an object and one of its records
        history = obj.history.order_by("pk").first()
        return reverse(key, args=[obj.pk, history.pk])
    if key.startswith("admin:<"):  # unnamed: the « object_id/ » redirect and the catch-all
        path = "/" + route.replace("<path:object_id>", str(pk))
        return path.replace("(?P<url>.*)$", "inconnu/")
    values = {"object_id": pk, "id": pk, "pk": pk, "app_label": "cqp"}
    names = set(pattern.pattern.converters) | set(re.findall(r"\?P<(\w+)>", route))
    return reverse(key, kwargs={name: values[name] for name in names})


def url_for(key, route, pattern, w, kwargs_map):
    if key.startswith("admin:"):
        return admin_url(key, route, pattern, w)
    if key.startswith("<") or "<" in key.split(":")[-1][:1]:
        raise AssertionError(f"Unnamed URL pattern {route!r}: name it, or teach the access matrix to build it.")
    return reverse(key, kwargs=kwargs_map.get(key, {}))


def row(spec):
    """Turn « 'L 200 404 ...' » or {persona: token} (only those personas are checked) into {persona: token}."""
    if isinstance(spec, dict):
        return {p: str(t) for p, t in spec.items()}
    tokens = spec.split()
    assert len(tokens) == len(PERSONAS), spec
    return dict(zip(PERSONAS, tokens, strict=False))


# ----------------------------------------------------------------------------------------------- the admin

# Every admin URL: anonymous and the non-staff personas are sent to the admin login; the admin gets the page (or a
# redirect, e.g. the « object_id/ » shortcut); OEMM (staff) gets the referentiels, 403 for the accounts and the rest.
STAFF = {"oemm", "admin"}
# Models the OEMM group manages in the admin (cqp.accounts.ensure_oemm_group): the organisations and the référentiels.
OEMM_ADMIN_MODELS = {
    "cqp.OrganismeFormation",
    "cqp.Entreprise",
    "referentiels.Certification",
    "referentiels.ReferentielVersion",
    "referentiels.Unit",
}
ADMIN_OVERRIDES = {
    "admin:login": {"get": "200 200 200 200 200 200 200 R 200 200 200 R", "post": {"anonymous": 200, "candidate": 200}},
    "admin:logout": {"get": "R R R R R R R 405 R R R 405", "post": {"anonymous": "R", "candidate": "R"}},
    "admin:autocomplete": {"get": "A A A A A A A 403 A A A 403"},  # without its parameters
    "admin:<admin/(?P<url>.*)$>": {"get": "A A A A A A A 404 A A A 404"},
    "admin:view_on_site": {"get": "A A A A A A A R A A A R"},
    "admin:auth_user_password_change": {"get": "A A A A A A A 403 A A A 200"},  # accounts: not OEMM's in the admin
}


def admin_rule(key):
    """The generic entry of an admin URL: anonymous and non-staff personas → admin login (GET and POST); the admin
    gets the page (or a redirect when the object is missing, or 403 when the model admin allows the action to nobody);
    OEMM gets the models of its group, 403 elsewhere."""
    if not key.startswith("admin:"):
        return None
    if key in ADMIN_OVERRIDES:
        return ADMIN_OVERRIDES[key]
    model = admin_model(key)
    if key.startswith("admin:<admin/") and key.endswith("<path:object_id>/>"):
        oemm = admin_token = "R"  # « object_id/ » → « object_id/change/ »
    elif model is None:
        oemm = admin_token = "200"  # index, app list, password change, jsi18n
    else:
        admin_token = "200|R|403"
        oemm = "200|R|403" if model._meta.label in OEMM_ADMIN_MODELS else "403|R"
    get = {p: ("A" if p not in STAFF else oemm if p == "oemm" else admin_token) for p in PERSONAS}
    return {"get": get, "post": {"anonymous": "A", "candidate": "A"}}


# ----------------------------------------------------------------------------------------------- reading the responses

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Tables a refused request may write: the session (login, activity stamp) and django-axes' login records.
HOUSEKEEPING_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def writes(queries):
    """The project tables written by the captured queries (cheaper and stricter than comparing table contents)."""
    tables = set()
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2).lower() not in HOUSEKEEPING_TABLES:
            tables.add(match.group(2))
    return tables


LOGIN = reverse("login")
ADMIN_LOGIN = "/admin/login/"


def token_of(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(ADMIN_LOGIN):
            return "A"
        if location.startswith(LOGIN):
            return "L"
        return "R"
    return str(response.status_code)


REFUSED = {"403", "404", "L", "A", "401", "405"}


def send(client, method, url):
    if method == "post":
        return client.post(url, {}, headers={"HX-Request": "true"} if url.endswith("/enregistrer/") else {})
    return client.get(url)


def log_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def matches(expected, got):
    return got in expected.split("|")
