"""Forms of the livret 1 (autosaved draft), the pieces, the submission and the decision. No form changes state."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from candidates.experience import period_problems

from . import rules as livret_rules
from .enums import LIVRET2_PIECE_KINDS, TO_REPLACE, Decision, ExperienceStatus, PieceKind, PieceVerdict
from .models import CANDIDATE_FIELDS, Livret1
from .uploads import ACCEPT_ATTRIBUTE, check_upload
from .workflow.livret1 import MISSING_NOT_SAID, REASON_MISSING

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class Livret1Form(forms.ModelForm):
    """Every field is optional while drafting: what is missing is listed at submission (rules.missing_items)."""

    class Meta:
        model = Livret1
        fields = CANDIDATE_FIELDS
        labels = {
            "declaration_accepted": "Je déclare sur l'honneur et je m'engage comme indiqué ci-dessus",
            "declaration_place": "Fait à",
            "declaration_date": "Le",
            "situation_detail": "Précisions (emploi occupé, employeur, autre situation...)",
        }
        help_texts = {
            "usage_name": "Si différent du nom de naissance.",
            "certifications_held": "Une certification par ligne : intitulé, organisme, année.",
            "highest_diploma": "Indiquez « aucun » si vous n'avez pas de diplôme.",
        }
        widgets = {
            "birth_date": forms.DateInput(**DATE_WIDGET),
            "declaration_date": forms.DateInput(**DATE_WIDGET),
            "address": forms.Textarea(attrs={"rows": 2}),
            "certifications_held": forms.Textarea(attrs={"rows": 3}),
            "sex": forms.RadioSelect,
            "situation": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["sex"].choices = [c for c in self.fields["sex"].choices if c[0]]
        self.fields["situation"].choices = [c for c in self.fields["situation"].choices if c[0]]


class ExperienceForm(forms.Form):
    function = forms.CharField(label="Emploi ou fonction", max_length=200, required=False)
    organisation = forms.CharField(
        label="Organisation (entreprise, association, syndicat...)", max_length=200, required=False
    )
    status = forms.ChoiceField(
        label="Statut", choices=[("", "— Choisissez —"), *ExperienceStatus.choices], required=False
    )
    start = forms.DateField(label="Du", required=False, widget=forms.DateInput(**DATE_WIDGET))
    end = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(**DATE_WIDGET),
        help_text="Laissez vide pour un emploi actuel (en cours) : il est compté jusqu'à aujourd'hui.",
    )
    hours_per_week = forms.DecimalField(
        label="Heures par semaine", required=False, min_value=0, max_value=99, decimal_places=1, max_digits=4
    )
    activities = forms.CharField(
        label="Activités réalisées en rapport avec le CQP", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        raw = [self.data.get(self.add_prefix(name)) for name in self.fields if name != "DELETE"]
        return not any(data.get(name) for name in self.fields if name != "DELETE") and not any(raw)


ExperienceFormSet = forms.formset_factory(ExperienceForm, extra=0, can_delete=True, max_num=40, absolute_max=60)


def draft_from_post(form: Livret1Form, formset, today) -> tuple[dict, list[dict], dict, list[str]]:
    """What can be saved from a (possibly partly invalid) post: values, experience rows, raw invalid input, errors.

    Invalid values are not stored in their field (the previous value stays) but their raw text is kept in
    ``unsaved_input`` so that nothing typed is lost. Dates that parse but are not acceptable (in the future, before
    1950, an end before the start) are stored as typed and named in the errors: the livret cannot be sent with them.
    """
    form.is_valid()
    values, unsaved, errors = {}, {}, []
    for name in CANDIDATE_FIELDS:
        if name in form.errors:
            unsaved[name] = form.data.get(form.add_prefix(name), "")
            errors.append(f"{form.fields[name].label} : {' '.join(form.errors[name])}")
        elif name in form.cleaned_data:
            value = form.cleaned_data[name]
            values[name] = "" if value is None and not isinstance(form.fields[name], (forms.DateField,)) else value
    rows = []
    if formset.is_bound:
        try:
            forms_list = formset.forms
        except forms.ValidationError:
            forms_list = []
        for row_form in forms_list:
            row_form.is_valid()
            data = getattr(row_form, "cleaned_data", {})
            if data.get("DELETE") or row_form.is_blank():
                continue
            position = len(rows)
            row = {}
            for name in ExperienceForm.base_fields:
                if name in row_form.errors:
                    unsaved[f"experiences-{position}-{name}"] = row_form.data.get(row_form.add_prefix(name), "")
                    errors.append(
                        f"Expérience n° {position + 1}, {row_form.fields[name].label.lower()} : "
                        f"{' '.join(row_form.errors[name])}"
                    )
                    row[name] = None if name in ("start", "end", "hours_per_week") else ""
                else:
                    row[name] = data.get(name)
                    if row[name] is None and name not in ("start", "end", "hours_per_week"):
                        row[name] = ""
            rows.append(row)
            for name, problem in period_problems(row.get("start"), row.get("end"), today).items():
                label = "date de début" if name == "start" else "date de fin"
                errors.append(f"Expérience n° {position + 1}, {label} : {problem}")
    for name, problem in livret_rules.field_date_problems(values, today=today).items():
        errors.append(f"{form.fields[name].label} : {problem}")
    return values, rows, unsaved, errors


def date_messages(form, formset, today) -> dict[str, str]:
    """The message shown at each date input of the livret 1 (input id -> French message, '' when the date is fine),
    from what was posted, or from the stored draft for a page shown again: as soon as a date is typed (autosave), its
    field says what is wrong."""

    def value(f, name):
        if f.is_bound:
            data = getattr(f, "cleaned_data", None) or {}
            return data.get(name)
        return f.initial.get(name) if f.initial else None

    found = {}
    values = {name: value(form, name) for name in livret_rules.TYPED_DATES}
    problems = livret_rules.field_date_problems(values, today=today)
    for name in livret_rules.TYPED_DATES:
        found[form[name].auto_id] = problems.get(name, "")
    try:
        row_forms = formset.forms
    except forms.ValidationError:
        row_forms = []
    for row_form in row_forms:
        if row_form.is_bound:
            row_form.is_valid()
        problems = period_problems(value(row_form, "start"), value(row_form, "end"), today)
        for name in ("start", "end"):
            found[row_form[name].auto_id] = problems.get(name, "")
    return found


class PieceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Nature de la pièce",
        choices=[
            ("", "— Choisissez —"),
            *[
                (k, label)
                for k, label in PieceKind.choices
                if k not in LIVRET2_PIECE_KINDS or k in (PieceKind.ATTESTATION_EMPLOYEUR, PieceKind.AUTRE)
            ],
        ],
    )
    file = forms.FileField(
        label="Fichier (PDF, JPEG, PNG, DOCX ou ODT ; 10 Mo au maximum)",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.cleaned_data["checked"] = check_upload(uploaded)
        return uploaded


class PieceVerdictForm(forms.Form):
    verdict = forms.ChoiceField(label="Avis sur la pièce", choices=PieceVerdict.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Motif (obligatoire pour une pièce à remplacer ; lu par le candidat)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") in TO_REPLACE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif : le candidat doit savoir pourquoi remplacer cette pièce.")
        return data


class ReplacePieceForm(forms.Form):
    file = forms.FileField(
        label="Pièce de remplacement (PDF, JPEG, PNG, DOCX ou ODT ; 10 Mo au maximum)",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.cleaned_data["checked"] = check_upload(uploaded)
        return uploaded


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme l'envoi de mon livret 1 : je ne pourrai plus le modifier pendant son instruction.",
        error_messages={"required": "Cochez la case pour confirmer l'envoi."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-confirm": "Envoyer définitivement votre livret 1 ?"}
        self.helper.add_input(Submit("submit", "Envoyer mon livret 1"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices, widget=forms.RadioSelect)
    gap_analysis = forms.CharField(
        label="Analyse des écarts entre les activités déclarées et le référentiel d'activités du CQP",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommended_training = forms.CharField(
        label="Recommandations de formations complémentaires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label="Motif de la décision / éléments manquants",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour une décision « non recevable » (motif) ou « incomplet » (ce qui manque).",
    )
    confirm = forms.BooleanField(
        label="Je confirme cette décision : elle sera notifiée au candidat et ne pourra pas être modifiée.",
        error_messages={"required": "Cochez la case pour confirmer la décision."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {
            "data-confirm": "Enregistrer cette décision ? Elle est définitive et sera notifiée au candidat."
        }
        self.helper.add_input(Submit("submit", "Enregistrer la décision", css_class="btn-danger"))

    def clean(self):
        cleaned = super().clean()
        decision, comment = cleaned.get("decision"), (cleaned.get("comment") or "").strip()
        if decision == Decision.NON_RECEVABLE and not comment:
            self.add_error("comment", REASON_MISSING)
        if decision == Decision.INCOMPLET and not comment:
            self.add_error("comment", MISSING_NOT_SAID)
        return cleaned
