"""Forms of the créneaux of the entretien d'accueil: publish (one day, one or several start times), move, cancel,
confirm a booking. Bad input gives a French message; what was typed stays in the form."""

import datetime
import re
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from . import slot_rules

PARIS = ZoneInfo("Europe/Paris")
TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[h:]\s*(\d{2})?)?\s*$")


def parse_times(text: str) -> list[datetime.time]:
    """« 9:00, 10 h 30, 14h » -> times; a ValueError names the part not understood."""
    times = []
    for part in re.split(r"[,;\n]+", text or ""):
        if not part.strip():
            continue
        match = TIME.match(part.replace(" h ", "h").replace(" h", "h"))
        hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
        if hour > 23 or minute > 59:
            raise ValueError(f"« {part.strip()} » n'est pas une heure (exemple : 9:00 ou 14 h 30).")
        times.append(datetime.time(hour, minute))
    return times


def _helper(label, css="btn-primary"):
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class=css))
    return helper


class PublishForm(forms.Form):
    day = forms.DateField(
        label="Jour",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez le jour.", "invalid": "Indiquez une date valide."},
    )
    times = forms.CharField(
        label="Heures de début",
        help_text="Une ou plusieurs heures séparées par des virgules, par exemple : 9:00, 10:30, 14:00.",
        max_length=200,
        error_messages={"required": "Indiquez au moins une heure de début."},
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        min_value=15,
        max_value=240,
        initial=60,
        error_messages={
            "required": "Indiquez la durée.",
            "invalid": "Indiquez une durée en minutes.",
            "min_value": "La durée est d'au moins 15 minutes.",
            "max_value": "La durée est d'au plus 240 minutes.",
        },
    )
    place = forms.CharField(label="Lieu (adresse)", max_length=300, required=False)
    video_url = forms.URLField(
        label="ou lien de visioconférence",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Indiquez une adresse web valide (https://…)."},
    )
    note = forms.CharField(label="Note pour le candidat (facultatif)", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Publier les créneaux")

    def clean(self):
        data = super().clean()
        refusal = slot_rules.place_refusal(data.get("place", ""), data.get("video_url", ""))
        if refusal:
            self.add_error("video_url" if data.get("video_url") else "place", refusal)
        if data.get("times"):
            try:
                times = parse_times(data["times"])
            except ValueError as exc:
                self.add_error("times", str(exc))
                times = []
            if data.get("day") and times:
                data["starts"] = [datetime.datetime.combine(data["day"], t, tzinfo=PARIS) for t in times]
            elif not self.has_error("times"):
                self.add_error("times", "Indiquez au moins une heure de début.")
        return data


class MoveForm(forms.Form):
    day = forms.DateField(
        label="Nouveau jour",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez le jour.", "invalid": "Indiquez une date valide."},
    )
    time = forms.TimeField(
        label="Nouvelle heure",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Indiquez l'heure.", "invalid": "Indiquez une heure valide (exemple : 14:30)."},
    )
    message = forms.CharField(label="Message au candidat", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, booked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.booked = booked
        self.fields["message"].required = booked
        self.fields["message"].error_messages["required"] = slot_rules.MESSAGE_REQUIRED
        if not booked:
            self.fields["message"].label = "Message (facultatif : le créneau n'est pas réservé)"
        self.helper = _helper("Déplacer le créneau")

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["starts_at"] = datetime.datetime.combine(data["day"], data["time"], tzinfo=PARIS)
        return data


class CancelForm(forms.Form):
    message = forms.CharField(label="Message au candidat", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm = forms.BooleanField(
        label="Je confirme l'annulation de ce créneau",
        error_messages={"required": "Cochez la case pour confirmer l'annulation."},
    )

    def __init__(self, *args, booked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].required = booked
        self.fields["message"].error_messages["required"] = slot_rules.MESSAGE_REQUIRED
        if not booked:
            self.fields["message"].label = "Message (facultatif : le créneau n'est pas réservé)"
        self.helper = _helper("Annuler le créneau", "btn-danger")


class ConfirmBookingForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je réserve ce créneau pour mon entretien d'accueil",
        error_messages={"required": "Cochez la case pour confirmer la réservation."},
    )

    def __init__(self, *args, submit_label="Confirmer la réservation", confirm_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if confirm_label:
            self.fields["confirm"].label = confirm_label
            self.fields["confirm"].error_messages["required"] = "Cochez la case pour confirmer."
        self.helper = _helper(submit_label)
