"""Forms of the livret 2 (autosaved draft built from the référentiel), its evidence, and the accompagnement.

No form changes state: views pass the cleaned values to vae.workflow (livret2, accompagnement).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from . import livret2_rules
from .enums import LIVRET2_PIECE_KINDS, AccompagnementNature, PieceKind
from .forms import DATE_WIDGET
from .uploads import ACCEPT_ATTRIBUTE, check_upload
from .workflow.accompagnement import DATES_REVERSED


def _text(label, rows=5, help_text=""):
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class Livret2Form(forms.Form):
    """Every field optional while drafting; what is missing is listed at submission (livret2_rules.missing_items).

    ``blocks``: the structure built by the view (motivation questions, units and their situations).
    """

    def __init__(self, *args, motivation_questions, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.motivation_count = max(len(motivation_questions), 1)
        for index in range(self.motivation_count):
            label = motivation_questions[index] if motivation_questions else "Votre projet et votre motivation"
            self.fields[f"motivation-{index}"] = _text(label, 6)
        self.fields["context"] = _text(
            "Votre contexte professionnel",
            4,
            "Présentez l'organisme dans lequel vous travaillez, votre service et votre public (une seule fois si "
            "toutes "
            "vos situations se rapportent à la même entreprise et au même contexte).",
        )
        self.situation_ids = []
        self.bloc_question_counts = {}
        for block in blocks:
            number = block["unit"].number
            self.bloc_question_counts[number] = len(block["bloc_answers"])
            for index, (question, _) in enumerate(block["bloc_answers"]):
                self.fields[f"b-{number}-{index}"] = _text(question, 6)
            for situation in block["situations"]:
                pk = situation["object"].pk
                self.situation_ids.append(pk)
                if block["spec"].situations:
                    self.fields[f"s-{pk}-title"] = forms.CharField(
                        label="Intitulé de la situation",
                        required=False,
                        max_length=300,
                        help_text="Quelques mots pour la nommer (sans nom d'adhérent ni d'assuré).",
                    )
                if livret2_rules.uses_free_answer(block["spec"]):
                    self.fields[f"s-{pk}-free"] = _text("Votre réponse", 10)
                else:
                    for index, question in enumerate(block["questions"]):
                        self.fields[f"s-{pk}-q-{index}"] = _text(question.text, 5)
                if block["competences"]:
                    self.fields[f"s-{pk}-competences"] = forms.TypedMultipleChoiceField(
                        label="Compétences abordées dans cette situation",
                        required=False,
                        coerce=int,
                        choices=[(c.pk, c.text) for c in block["competences"]],
                        widget=forms.CheckboxSelectMultiple,
                    )
        self.question_counts = {
            situation["object"].pk: len(block["questions"]) for block in blocks for situation in block["situations"]
        }

    def values(self) -> dict:
        """What can be saved: motivation answers, context and every situation's values."""
        self.is_valid()
        data = self.cleaned_data
        situations = {}
        for pk in self.situation_ids:
            situations[pk] = {
                "title": data.get(f"s-{pk}-title") or "",
                "free_answer": data.get(f"s-{pk}-free") or "",
                "answers": [data.get(f"s-{pk}-q-{i}") or "" for i in range(self.question_counts[pk])],
                "competences": data.get(f"s-{pk}-competences") or [],
            }
        return {
            "motivation": [data.get(f"motivation-{i}") or "" for i in range(self.motivation_count)],
            "context": data.get("context") or "",
            "situations": situations,
            "bloc_answers": {
                number: [data.get(f"b-{number}-{i}") or "" for i in range(count)]
                for number, count in self.bloc_question_counts.items()
                if count
            },
        }


class Livret2PieceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Nature de la pièce",
        choices=[("", "— Choisissez —"), *[(k, PieceKind(k).label) for k in LIVRET2_PIECE_KINDS]],
    )
    target = forms.ChoiceField(label="Se rapporte à", required=False)
    file = forms.FileField(
        label="Fichier (PDF, JPEG, PNG, DOCX ou ODT ; 10 Mo au maximum)",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    employer_owned = forms.BooleanField(label="Ce document appartient à mon employeur", required=False)
    employer_consent = forms.BooleanField(
        label="J'ai obtenu l'accord de mon employeur pour joindre ce document, et j'en ai retiré les noms des "
        "adhérents "
        "et les informations confidentielles",
        required=False,
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "L'ensemble du livret 2"), *targets]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.cleaned_data["checked"] = check_upload(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("employer_owned") and not cleaned.get("employer_consent"):
            self.add_error(
                "employer_consent", "Pour un document de votre employeur, confirmez que vous avez obtenu son accord."
            )
        return cleaned


class Livret2SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme l'envoi de mon livret 2 à l'OEMM : je ne pourrai plus le modifier. J'ai rédigé moi-même ce "
        "dossier.",
        error_messages={"required": "Cochez la case pour confirmer l'envoi."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-confirm": "Envoyer définitivement votre livret 2 ?"}
        self.helper.add_input(Submit("submit", "Envoyer mon livret 2"))


class AcknowledgeForm(forms.Form):
    received_on = forms.DateField(label="Livret 2 reçu le", widget=forms.DateInput(**DATE_WIDGET))
    confirm = forms.BooleanField(
        label="Je confirme la réception : le dossier passera « prêt pour le jury ».",
        error_messages={"required": "Cochez la case pour confirmer."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ConventionRequestForm(forms.Form):
    organisme = forms.ModelChoiceField(
        label="Organisme de formation agréé",
        queryset=None,
        empty_label="— Choisissez un organisme —",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].queryset = centres


class ConventionTermsForm(forms.Form):
    nature = forms.ChoiceField(
        label="Nature de l'accompagnement", choices=AccompagnementNature.choices, widget=forms.RadioSelect
    )
    sessions_count = forms.IntegerField(label="Nombre de séances", min_value=1, max_value=50)
    session_hours = forms.DecimalField(
        label="Durée d'une séance (heures)", min_value=0.5, max_value=12, decimal_places=1
    )
    start_on = forms.DateField(label="Début", required=False, widget=forms.DateInput(**DATE_WIDGET))
    end_on = forms.DateField(label="Fin", required=False, widget=forms.DateInput(**DATE_WIDGET))
    planned_dates = forms.CharField(
        label="Dates des séances (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Au format JJ/MM/AAAA, séparées par des virgules ou une par ligne.",
    )
    jury_preparation = forms.BooleanField(label="Préparation de l'entretien avec le jury final", required=False)
    details = forms.CharField(
        label="Organisation matérielle, précisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_planned_dates(self):
        dates, errors = livret2_rules.parse_dates(self.cleaned_data.get("planned_dates", ""))
        if errors:
            raise forms.ValidationError("Dates non reconnues : " + ", ".join(errors) + " (format JJ/MM/AAAA).")
        return dates

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", DATES_REVERSED)
        if not cleaned.get("planned_dates") and not (start and end) and "planned_dates" not in self.errors:
            self.add_error("start_on", "Indiquez le début et la fin, ou la liste des dates des séances.")
        return cleaned


class CommentForm(forms.Form):
    target = forms.ChoiceField(label="Commentaire sur")
    text = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Vos remarques aident le candidat à approfondir ; ne rédigez pas ses réponses à sa place.",
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets
