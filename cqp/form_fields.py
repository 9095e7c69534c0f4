"""Form fields that refuse hostile values with the usual French message instead of reaching the database."""

from django import forms
from django.core.exceptions import ValidationError

# The range of a BigAutoField: a larger key makes SQLite raise OverflowError in an ``__in`` lookup.
MAX_PK = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with every submitted key checked to be an integer in the key range before the query."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except (TypeError, ValueError):
                continue  # Django's own check gives « n'est pas une valeur correcte »
            if not 0 < number <= MAX_PK:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
