"""``{% may %}`` answers as the views do: an administrator without the role is not offered the action."""

import pytest
from django.template import Context, Template

TEMPLATE = Template('{% load permissions %}{% may "candidates.conduct_entretien" user dossier as f %}{{ f }}')


@pytest.mark.parametrize(
    "who, expected",
    [("organisme_staff", "True"), ("admin_user", "False"), ("candidat", "False")],
)
def test_may_tests_the_predicate_not_the_superuser_shortcut(request, dossier, who, expected):
    user = request.getfixturevalue(who)
    assert TEMPLATE.render(Context({"user": user, "dossier": dossier})) == expected


def test_rules_has_perm_tag_would_have_offered_it_to_the_administrator(admin_user, dossier):
    # The reason for the tag: Django grants every permission to a superuser.
    assert admin_user.is_superuser and admin_user.has_perm("candidates.conduct_entretien", dossier)
