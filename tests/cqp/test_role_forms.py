"""{% role_forms %} (cqp/templatetags/frame.py) writes the role switcher as the template's loop did, with the
request's one CSRF token."""

import re

import pytest
from django.template import engines
from django.urls import reverse

from cqp.enums import College, Role
from cqp.models import UserRole

from ..factories import user_with_role

LOOP = engines["django"].from_string(
    "{% for code, label in user_roles %}\n"
    '              <li><form method="post" action="{% url \'switch_role\' %}">{% csrf_token %}'
    '<input type="hidden" name="role" value="{{ code }}"><button class="dropdown-item{% if code == active_role %}'
    ' active{% endif %}" type="submit">{{ label }}</button></form></li>\n'
    "              {% endfor %}"
)
TAG = engines["django"].from_string("{% load frame %}{% role_forms %}")
HOSTILE = '"><script>x</script>&amp;'


@pytest.mark.filterwarnings("ignore:Calling format_html")  # Django's own {% csrf_token %} for NOTPROVIDED
@pytest.mark.parametrize("token", ["abc", HOSTILE, "NOTPROVIDED", "", None])
@pytest.mark.parametrize("active", ["oemm", "jury", None, HOSTILE])
def test_same_html_as_the_template_loop(token, active):
    context = {
        "csrf_token": token,
        "active_role": active,
        "user_roles": [("oemm", "Équipe <OEMM>"), ("jury", "Jury « & »"), (HOSTILE, HOSTILE)],
    }
    assert TAG.render(context) == LOOP.render(context)


def test_no_roles_no_forms():
    assert TAG.render({}) == ""


@pytest.mark.django_db
def test_a_page_shows_one_form_per_role_with_the_requests_token(client):
    user = user_with_role(Role.OEMM)
    UserRole.objects.create(user=user, role=Role.JURY, college=College.EMPLOYEUR)
    client.force_login(user)
    body = client.get(reverse("candidates:list")).content.decode()
    forms = re.findall(r'<li><form method="post" action="([^"]+)">.*?name="role" value="([^"]+)"', body)
    assert sorted(role for _url, role in forms) == ["jury", "oemm"]
    assert {url for url, _role in forms} == {reverse("switch_role")}
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert len(tokens) == 1  # the role forms and the other forms of the page share the request's token
