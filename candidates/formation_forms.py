"""Forms of the voie formative. They validate and hand plain data to candidates.workflow (formation, livret_evaluation);
they change no state.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cqp.enums import EntrepriseFunction

from .entretien_forms import DATE_WIDGET, EXTRA_ROWS, MAX_ROWS, ModuleForm, _bootstrap, _date_field
from .enums import FinalAnswer, FormativeRating, FormativeResult, IntermediateRatingChoice, Mastery
from .experience import date_problem


def _error_lines(form, extra=()) -> list[str]:
    """Every error as « Libellé : message », for the autosave status."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "Formulaire"
        lines += [f"{label} : {e}" for e in errors]
    for title, formset in extra:
        lines += [f"{title} : {e}" for e in formset.non_form_errors()]
        for i, sub in enumerate(formset.forms, start=1):
            for name, errors in sub.errors.items():
                label = sub.fields[name].label if name in sub.fields else ""
                lines += [f"{title} n° {i} — {label} : {e}" for e in errors]
    return lines


NOT_YET_HELD = "Cette date est dans le futur : indiquez la date à laquelle l'évaluation a eu lieu."


def past_date(value):
    """A date of something that took place (an evaluation, a review): not in the future, not before 1950."""
    problem = date_problem(
        value,
        timezone.localdate(),
        future_message="Cette date est dans le futur : indiquez la date à laquelle l'évaluation a eu lieu.",
    )
    if problem:
        raise ValidationError(problem)


def _past_date_field(label):
    field = _date_field(label)
    field.validators.append(past_date)
    return field


def _text(label, rows=4, help_text="", max_length=20000):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _criteria_fields(form, criteria, choices, initial, prefix="crit"):
    """One radio field per criterion; returns [(criterion, bound field)] for the template (grouped by rubrique)."""
    lines = []
    for c in criteria:
        name = f"{prefix}_{c.pk}"
        form.fields[name] = forms.ChoiceField(
            label=c.text, choices=choices, required=False, widget=forms.RadioSelect, initial=initial.get(c.pk, "")
        )
        lines.append((c, form[name]))
    return lines


def _no_helper(form):
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True


# --- designations ----------------------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        role = next((r for r in user.roles.all() if r.role == "entreprise"), None)
        function = f" — {role.get_entreprise_function_display()}" if role and role.entreprise_function else ""
        return f"{user.get_full_name() or user.email} ({user.email}){function}"


class DesignationForm(forms.Form):
    tutor = PersonChoiceField(
        label="Tuteur",
        queryset=None,
        required=False,
        empty_label="— Non désigné —",
        help_text="Accueille, guide et suit le candidat ; réalise les évaluations intermédiaires.",
    )
    evaluator1 = PersonChoiceField(
        label="Évaluateur 1 : le responsable hiérarchique du candidat",
        queryset=None,
        required=False,
        empty_label="— Non désigné —",
    )
    evaluator1_function = forms.CharField(label="Fonction de l'évaluateur 1", required=False, max_length=150)
    evaluator2 = PersonChoiceField(
        label="Évaluateur 2 : une autre personne expérimentée (tuteur, formateur interne…)",
        queryset=None,
        required=False,
        empty_label="— Non désigné —",
    )
    evaluator2_function = forms.CharField(label="Fonction de l'évaluateur 2", required=False, max_length=150)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        members = members.prefetch_related("roles")
        for name in ("tutor", "evaluator1", "evaluator2"):
            self.fields[name].queryset = members
        _bootstrap(self)
        self.helper = FormHelper()
        self.helper.add_input(Submit("designate", "Enregistrer les désignations"))

    def clean(self):
        cleaned = super().clean()
        e1, e2 = cleaned.get("evaluator1"), cleaned.get("evaluator2")
        if e1 and e2 and e1 == e2:
            self.add_error("evaluator2", "L'évaluateur 2 doit être une autre personne que l'évaluateur 1.")
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    function = forms.ChoiceField(
        label="Fonction dans l'entreprise",
        choices=[c for c in EntrepriseFunction.choices if c[0] != EntrepriseFunction.RH],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", "Inviter cette personne", css_class="btn-outline-primary"))


# --- livret de suivi -------------------------------------------------------------------------------------


class SuiviModuleForm(ModuleForm):
    """One module followed (unit, title, hours, dates) with its detailed content and teaching method."""

    content = forms.CharField(
        label="Contenu détaillé et méthode pédagogique",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = "Intitulé de la formation suivie"
        self.fields["hours"].label = "Nombre d'heures"
        self.fields["content"].widget.attrs.setdefault("class", "form-control form-control-sm")


SuiviModuleFormSet = forms.formset_factory(SuiviModuleForm, extra=EXTRA_ROWS, max_num=MAX_ROWS, validate_max=True)


class LivretSuiviForm(forms.Form):
    training_manager = forms.CharField(label="Responsable de formation", required=False, max_length=150)

    def __init__(self, data=None, *, file):
        suivi = file.suivi
        super().__init__(data, initial={"training_manager": suivi.training_manager if suivi else ""})
        units = [(u.unit.pk, u.label) for u in file.units]
        # Without a livret de suivi yet, prefilled with the parcours of the entretien d'accueil.
        source = file.suivi_modules if suivi is not None else file.planned_modules
        initial = [
            {
                "unit": str(m.unit_id),
                "title": m.title,
                "hours": m.hours,
                "start_on": m.start_on,
                "end_on": m.end_on,
                "content": getattr(m, "content", ""),
            }
            for m in source
        ]
        bound = data is not None
        self.modules = SuiviModuleFormSet(
            data, prefix="modules", initial=None if bound else initial, form_kwargs={"units": units}
        )
        _bootstrap(self)
        _no_helper(self)

    def is_valid(self):
        valid = super().is_valid()
        return self.modules.is_valid() & valid

    def error_lines(self):
        return _error_lines(self, [("Module", self.modules)])

    def get_data(self) -> dict:
        return {
            "training_manager": self.cleaned_data.get("training_manager", ""),
            "modules": [
                {
                    "unit_id": int(f.cleaned_data["unit"]),
                    "title": f.cleaned_data["title"].strip(),
                    "hours": f.cleaned_data["hours"],
                    "start_on": f.cleaned_data.get("start_on"),
                    "end_on": f.cleaned_data.get("end_on"),
                    "content": (f.cleaned_data.get("content") or "").strip(),
                }
                for f in self.modules.forms
                if f.cleaned_data and not f.is_blank()
            ],
        }


class EvaluationFormativeForm(forms.Form):
    held_on = _past_date_field("Date de l'évaluation formative")
    result = forms.ChoiceField(
        label="Résultat", choices=FormativeResult.choices, required=False, widget=forms.RadioSelect
    )
    trainer_name = forms.CharField(
        label="Nom du formateur ayant procédé à l'évaluation", required=False, max_length=150
    )
    progress_objectives = _text("Objectifs de progression")

    def __init__(self, data=None, *, unit_file):
        evaluation = unit_file.formative
        initial = {}
        if evaluation is not None:
            initial = {n: getattr(evaluation, n) for n in ("held_on", "result", "trainer_name", "progress_objectives")}
        super().__init__(data, initial=initial)
        self.criteria = _criteria_fields(
            self,
            unit_file.formative_criteria,
            FormativeRating.choices,
            {c.pk: value for c, value, _ in unit_file.formative_lines},
        )
        self.unit_file = unit_file
        _bootstrap(self)
        _no_helper(self)

    def error_lines(self):
        return _error_lines(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        return {
            "held_on": c.get("held_on"),
            "result": c.get("result") or "",
            "trainer_name": (c.get("trainer_name") or "").strip(),
            "progress_objectives": (c.get("progress_objectives") or "").strip(),
            "ratings": {crit.pk: c.get(f"crit_{crit.pk}") or "" for crit, _ in self.criteria},
        }


# --- tutorat ------------------------------------------------------------------------------------------------


class IntermediateEvaluationForm(forms.Form):
    held_on = forms.DateField(
        label="Date de l'évaluation",
        widget=DATE_WIDGET,
        validators=[past_date],
        error_messages={
            "invalid": "Saisissez une date valide (jj/mm/aaaa).",
            "required": "Indiquez la date de l'évaluation.",
        },
    )
    progress_objectives = _text("Objectifs de progression")

    def __init__(self, data=None, *, criteria, evaluation=None, ratings=None):
        initial = (
            {"held_on": evaluation.held_on, "progress_objectives": evaluation.progress_objectives} if evaluation else {}
        )
        super().__init__(data, initial=initial)
        self.criteria = _criteria_fields(self, criteria, IntermediateRatingChoice.choices, ratings or {})
        _bootstrap(self)
        _no_helper(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        return {
            "held_on": c["held_on"],
            "progress_objectives": (c.get("progress_objectives") or "").strip(),
            "ratings": {crit.pk: c.get(f"crit_{crit.pk}") or "" for crit, _ in self.criteria},
        }


class TutorReviewForm(forms.Form):
    held_on = forms.DateField(
        label="Bilan effectué le",
        widget=DATE_WIDGET,
        validators=[past_date],
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa).", "required": "Indiquez la date du bilan."},
    )
    with_whom = forms.CharField(
        label="Avec",
        max_length=200,
        help_text="Le candidat, le formateur, le responsable hiérarchique…",
        error_messages={"required": "Indiquez avec qui le point a été fait."},
    )
    strengths = _text("Points forts")
    progress_objectives = _text("Objectifs de progression")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        _no_helper(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        return {
            "held_on": c["held_on"],
            "with_whom": c["with_whom"].strip(),
            "strengths": (c.get("strengths") or "").strip(),
            "progress_objectives": (c.get("progress_objectives") or "").strip(),
        }


# --- livret d'évaluation finale ----------------------------------------------------------------------------------


class CandidatePartForm(forms.Form):
    activities = _text(
        "Les activités que vous avez réalisées en entreprise au cours des périodes de mise en pratique", rows=6
    )

    def __init__(self, data=None, *, file):
        livret = file.livret
        super().__init__(data, initial={"activities": livret.candidate_activities if livret else ""})
        self.units = []  # (unit file, [bound fields], bound comment field or None)
        for u in file.units:
            names = []
            if u.question_answers:  # the seed's questions of the livret d'évaluation finale, one answer each
                for i, (question, answer) in enumerate(u.question_answers):
                    names.append(f"answer_{u.unit.pk}_{i}")
                    self.fields[names[-1]] = _text(question, rows=5)
                    self.fields[names[-1]].initial = answer
            else:
                names.append(f"answer_{u.unit.pk}")
                self.fields[names[-1]] = _text(f"Activités réalisées pour : {u.label}", rows=8)
                self.fields[names[-1]].initial = u.answer
            comment = None
            if u.unit.final_candidate_comment:
                comment = f"comment_{u.unit.pk}"
                self.fields[comment] = _text(
                    "Commentaire du candidat",
                    rows=3,
                    help_text="Facultatif : ce que vous souhaitez ajouter sur ce domaine et sur son évaluation.",
                )
                self.fields[comment].initial = u.candidate_comment
            self.units.append((u, [self[n] for n in names], self[comment] if comment else None))
        _bootstrap(self)
        _no_helper(self)

    def error_lines(self):
        return _error_lines(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        answers = {}
        for u, fields, comment in self.units:
            if u.question_answers:
                given = {"questions": [c.get(f"answer_{u.unit.pk}_{i}", "") for i in range(len(fields))]}
            else:
                given = {"text": c.get(f"answer_{u.unit.pk}", "")}
            if comment is not None:
                given["comment"] = c.get(f"comment_{u.unit.pk}", "")
            answers[u.unit.pk] = given
        return {"activities": c.get("activities", ""), "answers": answers}


class UnitAssessmentForm(forms.Form):
    evaluated_on = _past_date_field("Date de l'évaluation")
    modality_used = _text(
        "Modalité d'évaluation mise en œuvre",
        rows=3,
        help_text="Ce qui a été fait (dossiers, observation, entretien…), au regard de la modalité prévue par le "
        "référentiel.",
    )
    mastery = forms.ChoiceField(
        label="Votre avis sur la maîtrise de cette unité par le candidat",
        choices=Mastery.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comments = _text("Commentaires de l'évaluateur", rows=4)

    def __init__(self, data=None, *, unit_file, slot):
        view = unit_file.assessments[int(slot) - 1]
        a = view.assessment
        initial = {n: getattr(a, n) for n in ("evaluated_on", "modality_used", "mastery", "comments")} if a else {}
        super().__init__(data, initial=initial)
        self.criteria = _criteria_fields(
            self, unit_file.final_criteria, FinalAnswer.choices, {c.pk: v for c, v, _ in view.lines}
        )
        _bootstrap(self)
        _no_helper(self)

    def error_lines(self):
        return _error_lines(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        return {
            "evaluated_on": c.get("evaluated_on"),
            "modality_used": c.get("modality_used", ""),
            "mastery": c.get("mastery") or "",
            "comments": c.get("comments", ""),
            "ratings": {crit.pk: c.get(f"crit_{crit.pk}") or "" for crit, _ in self.criteria},
        }


EXERCISED_CHOICES = [("", "—"), ("oui", "Oui"), ("non", "Non")]


class SynthesisForm(forms.Form):
    """The fiche de synthèse: one line per unit."""

    def __init__(self, data=None, *, file):
        super().__init__(data)
        self.lines = []
        for u in file.units:
            line = u.synthesis
            pk = u.unit.pk
            self.fields[f"exercised_{pk}"] = forms.ChoiceField(
                label="Le candidat a exercé les activités liées à l'unité",
                choices=EXERCISED_CHOICES,
                required=False,
                initial=""
                if line is None or line.activities_exercised is None
                else ("oui" if line.activities_exercised else "non"),
            )
            self.fields[f"from_{pk}"] = _past_date_field("Évaluation en entreprise le (ou du)")
            self.fields[f"to_{pk}"] = _past_date_field("au (facultatif)")
            self.fields[f"conditions_{pk}"] = _text(
                "Conditions de l'évaluation (observation, entretien ou bilan d'activité…)", rows=2, max_length=5000
            )
            if line is not None:
                self.fields[f"from_{pk}"].initial = line.evaluated_from
                self.fields[f"to_{pk}"].initial = line.evaluated_to
                self.fields[f"conditions_{pk}"].initial = line.conditions
            self.lines.append(
                (u, self[f"exercised_{pk}"], self[f"from_{pk}"], self[f"to_{pk}"], self[f"conditions_{pk}"])
            )
        _bootstrap(self)
        _no_helper(self)

    def clean(self):
        cleaned = super().clean()
        for u, *_ in self.lines:
            start, end = cleaned.get(f"from_{u.unit.pk}"), cleaned.get(f"to_{u.unit.pk}")
            if start and end and end < start:
                self.add_error(f"to_{u.unit.pk}", f"{u.label} : la fin de l'évaluation doit suivre son début.")
        return cleaned

    def error_lines(self):
        return _error_lines(self)

    def get_data(self) -> dict:
        c = self.cleaned_data
        out = {}
        for u, *_ in self.lines:
            pk = u.unit.pk
            exercised = c.get(f"exercised_{pk}")
            out[pk] = {
                "activities_exercised": None if not exercised else exercised == "oui",
                "evaluated_from": c.get(f"from_{pk}"),
                "evaluated_to": c.get(f"to_{pk}"),
                "conditions": (c.get(f"conditions_{pk}") or "").strip(),
            }
        return out
