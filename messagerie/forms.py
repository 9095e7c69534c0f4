"""The form of a new message: a text and one optional attachment, checked like the livret pieces."""

from django import forms

from vae.uploads import ACCEPT_ATTRIBUTE, check_upload

from .models import MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH}),
        error_messages={"max_length": "Votre message est trop long : 5 000 caractères au maximum (%(show_value)d)."},
    )
    file = forms.FileField(
        label="Pièce jointe (facultative : PDF, JPEG, PNG, DOCX ou ODT ; 10 Mo au maximum)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            self.cleaned_data["checked"] = check_upload(uploaded)
        return uploaded

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("body") and not data.get("file"):
            raise forms.ValidationError("Écrivez un message ou joignez une pièce : un message vide n'est pas envoyé.")
        return data
