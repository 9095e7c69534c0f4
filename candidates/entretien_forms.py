"""Forms of the entretien d'accueil. They validate and hand plain data to candidates.workflow.entretien; they change no
state.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from .entretien_sheet import default_function, default_organisation
from .enums import PREREQUISITE_CHOICES, ExperienceStatus, UnitOrientation, scale_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_ROWS = 60
EXTRA_ROWS = 3


def _bootstrap(form):
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


class ModuleForm(forms.Form):
    """One module of the parcours individualisé. A fully blank row is ignored."""

    unit = forms.ChoiceField(label="Unité", required=False)
    title = forms.CharField(label="Intitulé du module", required=False, max_length=300)
    hours = forms.IntegerField(
        label="Durée (heures)",
        required=False,
        min_value=1,
        max_value=2000,
        error_messages={
            "invalid": "La durée s'écrit en heures entières (par exemple 35).",
            "min_value": "La durée doit être d'au moins 1 heure.",
            "max_value": "La durée ne peut dépasser 2000 heures.",
        },
    )
    start_on = _date_field("Début")
    end_on = _date_field("Fin")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "— Choisissez l'unité —")] + [(str(pk), label) for pk, label in units]
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank(cleaned):
            if not cleaned.get("unit"):
                self.add_error("unit", "Choisissez l'unité de ce module.")
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", "Indiquez l'intitulé du module.")
            if cleaned.get("hours") is None and "hours" not in self.errors:
                self.add_error("hours", "Indiquez la durée du module en heures.")
            start, end = cleaned.get("start_on"), cleaned.get("end_on")
            if start and end and end < start:
                self.add_error("end_on", "La fin du module doit suivre son début.")
        return cleaned

    def is_blank(self, cleaned=None) -> bool:
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return not any(cleaned.get(name) for name in self.fields) and not self.errors


class PeriodForm(forms.Form):
    """One period of experience declared by the candidate. A fully blank row is ignored."""

    start_on = _date_field("Du")
    end_on = _date_field("Au")
    status = forms.ChoiceField(label="Statut", choices=ExperienceStatus.choices, initial=ExperienceStatus.SALARIE)
    description = forms.CharField(label="Emploi, employeur", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank(cleaned):
            start, end = cleaned.get("start_on"), cleaned.get("end_on")
            if not start and "start_on" not in self.errors:
                self.add_error("start_on", "Indiquez le début de la période.")
            if not end and "end_on" not in self.errors:
                self.add_error("end_on", "Indiquez la fin de la période.")
            if start and end and end < start:
                self.add_error("end_on", "La fin de la période doit suivre son début.")
            if start and start > timezone.localdate():
                self.add_error("start_on", "Une période d'expérience ne peut commencer dans le futur.")
        return cleaned

    def is_blank(self, cleaned=None) -> bool:
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return not (cleaned.get("start_on") or cleaned.get("end_on") or cleaned.get("description")) and not self.errors


ModuleFormSet = forms.formset_factory(ModuleForm, extra=EXTRA_ROWS, max_num=MAX_ROWS, validate_max=True)
PeriodFormSet = forms.formset_factory(PeriodForm, extra=EXTRA_ROWS, max_num=MAX_ROWS, validate_max=True)


class EntretienForm(forms.Form):
    """The whole guide d'entretien of a dossier, built from its référentiel version.

    ``guide`` (units with their fields) and ``prerequisite_fields`` drive the template;
    ``modules`` and ``periods`` are formsets validated with the form.
    """

    held_on = forms.DateField(
        label="Date de l'entretien",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )
    interviewer_function = forms.CharField(label="Fonction de l'intervieweur", required=False, max_length=150)
    organisation = forms.CharField(
        label="Organisation (organisme de formation ou entreprise)", required=False, max_length=200
    )
    declared_experience_months = forms.IntegerField(
        label="Ou, à défaut, expérience déclarée au total (mois)",
        required=False,
        min_value=0,
        max_value=600,
        error_messages={
            "invalid": "Indiquez un nombre entier de mois.",
            "min_value": "Le nombre de mois ne peut être négatif.",
            "max_value": "600 mois au plus.",
        },
        help_text="Utilisé seulement si aucune période n'est saisie ci-dessus (la fenêtre d'années n'est alors pas "
        "vérifiée).",
    )
    synthesis = forms.CharField(
        label="Synthèse de l'entretien",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bilan de l'entretien, recherché en consensus avec le candidat.",
    )
    recommendations = forms.CharField(
        label="Recommandations (voie d'accès, accompagnement…)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    HEADER_FIELDS = [
        "held_on",
        "interviewer_function",
        "organisation",
        "declared_experience_months",
        "synthesis",
        "recommendations",
    ]

    def __init__(self, data=None, *, sheet, user):
        self.sheet = sheet
        dossier, entretien = sheet.dossier, sheet.entretien
        initial = {}
        if entretien is not None:
            initial = {name: getattr(entretien, name) for name in self.HEADER_FIELDS}
        else:
            initial = {
                "held_on": timezone.localdate(),
                "organisation": default_organisation(dossier, user),
                "interviewer_function": default_function(user),
            }
        super().__init__(data, initial=initial)
        scale = scale_choices(dossier.version.entretien_scale)

        self.prerequisite_fields = []
        for line in sheet.prerequisites:
            name = f"prereq_{line.prerequisite.pk}"
            self.fields[name] = forms.ChoiceField(
                label=line.prerequisite.text,
                choices=PREREQUISITE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=line.answer,
            )
            self.prerequisite_fields.append(self[name])

        self.guide = []
        orientation_choices = [("", "— À choisir —")] + list(UnitOrientation.choices)
        for block in sheet.units:
            unit_name = f"unit_{block.unit.pk}"
            self.fields[unit_name] = forms.ChoiceField(
                label=f"Orientation pour : {block.label}",
                choices=orientation_choices,
                required=False,
                initial=block.orientation,
            )
            lines = []
            for line in block.competences:
                pk = line.competence.pk
                self.fields[f"comp_{pk}"] = forms.ChoiceField(
                    label=f"Appréciation : {line.competence.text}",
                    choices=scale,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=line.assessment,
                )
                self.fields[f"comp_{pk}_training"] = forms.BooleanField(
                    label="Complément de formation souhaité",
                    required=False,
                    initial=line.training_wanted,
                )
                self.fields[f"comp_{pk}_note"] = forms.CharField(
                    label="Précisions sur le complément de formation",
                    required=False,
                    max_length=500,
                    initial=line.training_note,
                )
                lines.append(
                    {
                        "competence": line.competence,
                        "assessment": self[f"comp_{pk}"],
                        "training": self[f"comp_{pk}_training"],
                        "note": self[f"comp_{pk}_note"],
                    }
                )
            savoirs = []
            for line in block.knowledge:
                name = f"savoir_{line.knowledge.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=f"Appréciation : {line.knowledge.text}",
                    choices=scale,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=line.assessment,
                )
                savoirs.append({"knowledge": line.knowledge, "assessment": self[name]})
            self.guide.append(
                {"block": block, "orientation": self[unit_name], "competences": lines, "knowledge": savoirs}
            )

        units = [(b.unit.pk, b.label) for b in sheet.units]
        module_initial = [
            {"unit": str(m.unit_id), "title": m.title, "hours": m.hours, "start_on": m.start_on, "end_on": m.end_on}
            for m in sheet.modules
        ]
        period_initial = [
            {"start_on": p.start_on, "end_on": p.end_on, "status": p.status, "description": p.description}
            for p in sheet.periods
        ]
        # Bound formsets get no ``initial``: rows are replaced as a whole on each save, and an autosaved
        # page keeps its first management form, so a row must never be dropped as "unchanged".
        bound = data is not None
        self.modules = ModuleFormSet(
            data, prefix="modules", initial=None if bound else module_initial, form_kwargs={"units": units}
        )
        self.periods = PeriodFormSet(data, prefix="periods", initial=None if bound else period_initial)

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def is_valid(self):
        valid = super().is_valid()
        return self.modules.is_valid() & self.periods.is_valid() & valid

    def error_lines(self) -> list[str]:
        """Every error as « Libellé : message », for the autosave status."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else "Formulaire"
            lines += [f"{label} : {e}" for e in errors]
        for title, formset in (("Parcours, module", self.modules), ("Expérience, période", self.periods)):
            lines += [f"{title} : {e}" for e in formset.non_form_errors()]
            for i, form in enumerate(formset.forms, start=1):
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else ""
                    lines += [f"{title} n° {i} — {label} : {e}" for e in errors]
        return lines

    def get_data(self) -> dict:
        c = self.cleaned_data
        return {
            "header": {
                name: (
                    c.get(name) if name in ("held_on", "declared_experience_months") else (c.get(name) or "").strip()
                )
                for name in self.HEADER_FIELDS
            },
            "prerequisites": {
                line.prerequisite.pk: c.get(f"prereq_{line.prerequisite.pk}") or "" for line in self.sheet.prerequisites
            },
            "competences": {
                line.competence.pk: {
                    "assessment": c.get(f"comp_{line.competence.pk}") or "",
                    "training_wanted": bool(c.get(f"comp_{line.competence.pk}_training")),
                    "training_note": (c.get(f"comp_{line.competence.pk}_note") or "").strip(),
                }
                for block in self.sheet.units
                for line in block.competences
            },
            "knowledge": {
                line.knowledge.pk: c.get(f"savoir_{line.knowledge.pk}") or ""
                for block in self.sheet.units
                for line in block.knowledge
            },
            "units": {block.unit.pk: c.get(f"unit_{block.unit.pk}") or "" for block in self.sheet.units},
            "modules": [
                {
                    "unit_id": int(f.cleaned_data["unit"]),
                    "title": f.cleaned_data["title"].strip(),
                    "hours": f.cleaned_data["hours"],
                    "start_on": f.cleaned_data.get("start_on"),
                    "end_on": f.cleaned_data.get("end_on"),
                }
                for f in self.modules.forms
                if f.cleaned_data and not f.is_blank()
            ],
            "periods": [
                {
                    "start_on": f.cleaned_data["start_on"],
                    "end_on": f.cleaned_data["end_on"],
                    "status": f.cleaned_data["status"],
                    "description": (f.cleaned_data.get("description") or "").strip(),
                }
                for f in self.periods.forms
                if f.cleaned_data and not f.is_blank()
            ],
        }


class ConfirmForm(forms.Form):
    """The confirmation asked before an irreversible validation."""

    confirm = forms.BooleanField(
        label="Je confirme", required=True, error_messages={"required": "Cochez la case pour confirmer la validation."}
    )

    def __init__(self, *args, confirm_label, submit_label, with_comment=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = confirm_label
        if with_comment:
            self.fields["comment"] = forms.CharField(
                label="Vos observations (facultatif)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.order_fields(["comment", "confirm"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label, css_class="btn-success"))
        self.helper.attrs = {
            "data-confirm": "Cette validation est définitive. Confirmer ?"
        }  # static/js/app.js (CSP: no inline handler)
