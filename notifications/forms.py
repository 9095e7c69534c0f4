from django import forms

from .enums import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="Recevoir mes notifications par e-mail",
        choices=Delivery.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text="Chaque notification reste visible dans la plateforme (la cloche en haut de page).",
    )
