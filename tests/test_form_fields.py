import pytest
from django.core.exceptions import ValidationError

from cqp.form_fields import ModelMultipleChoiceField
from referentiels.models import Certification


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "0", "99999999999999999999999"])
def test_a_key_out_of_range_is_refused_in_french_before_the_query(value):
    field = ModelMultipleChoiceField(queryset=Certification.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([value])
    assert "Sélectionnez un choix valide" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_key_in_range_is_checked_by_django():
    field = ModelMultipleChoiceField(queryset=Certification.objects.all())
    with pytest.raises(ValidationError):
        field.clean(["9223372036854775807"])
    with pytest.raises(ValidationError):
        field.clean(["abc"])
