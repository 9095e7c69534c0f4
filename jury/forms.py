"""Forms of the jury pages: they validate input; workflow functions change state."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from cqp.enums import College, Role
from cqp.form_fields import ModelMultipleChoiceField
from cqp.models import User, UserRole
from referentiels.models import Certification

from .enums import Attendance, SessionKind
from .workflow.sessions import PLACE_MISSING


class _Crispy:
    submit_label = "Enregistrer"
    confirm = ""

    def _helper(self, action=None):
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        if self.confirm:
            self.helper.attrs = {"data-confirm": self.confirm}  # static/js/app.js (CSP: no inline handler)
        self.helper.add_input(Submit("submit", self.submit_label))


class SessionForm(_Crispy, forms.Form):
    submit_label = "Enregistrer la session"
    kind = forms.ChoiceField(
        label="Nature de la session",
        choices=[(SessionKind.JURY, "Jury final"), (SessionKind.COMMISSION, "Commission paritaire (sur dossier)")],
        initial=SessionKind.JURY,
        required=False,  # omitted (an older form, a script): a final jury, as before the commission existed
        help_text="Une commission paritaire examine sans le candidat les dossiers qui visent une partie du CQP.",
    )
    certifications = ModelMultipleChoiceField(
        label="CQP de la session",
        queryset=Certification.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(
        label="Lieu",
        max_length=300,
        required=False,
        help_text="Adresse de la salle ; ou bien un lien de visioconférence.",
    )
    video_link = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")
    capacity = forms.IntegerField(label="Nombre de candidats au plus", min_value=1, max_value=30, initial=8)

    def __init__(self, *args, editing=False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user.staff_certifier_ids() if user is not None else None
        self.fields["certifications"].queryset = (
            Certification.objects.with_current_version().of_certifiers(scope).select_related("certifier")
        )
        self.fields["certifications"].label_from_instance = lambda c: f"{c} — {c.certifier.name}"
        self.fields["certifications"].help_text = "Une session réunit les CQP d'un seul certificateur."
        if editing:
            del self.fields["certifications"]
            del self.fields["kind"]
        self._helper()

    def clean_kind(self):
        return self.cleaned_data.get("kind") or SessionKind.JURY

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("video_link"):
            raise forms.ValidationError(PLACE_MISSING)
        certifications = cleaned.get("certifications")
        if certifications and len({c.certifier_id for c in certifications}) > 1:
            self.add_error(
                "certifications",
                "Une session réunit les CQP d'un seul certificateur : créez une session par certificateur.",
            )
        return cleaned


class AddMemberForm(_Crispy, forms.Form):
    submit_label = "Ajouter au jury"
    user = forms.ModelChoiceField(label="Membre de jury", queryset=User.objects.none(), empty_label="— Choisissez —")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        roles = {r.user_id: r for r in UserRole.objects.filter(role=Role.JURY)}
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, roles__role=Role.JURY).exclude(jury_seats__session=session).distinct()
        )

        def label(user):
            role = roles.get(user.pk)
            college = College(role.college).label if role and role.college else ""
            union = f", {role.union_name}" if role and role.union_name else ""
            return f"{user} — {college}{union}"

        self.fields["user"].label_from_instance = label
        self._helper()


class AddCandidateForm(_Crispy, forms.Form):
    submit_label = "Ajouter à la session"
    dossier = forms.ModelChoiceField(label="Dossier prêt pour le jury", queryset=None, empty_label="— Choisissez —")

    def __init__(self, *args, session, **kwargs):
        from .selectors import dossiers_ready_for_jury

        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers_ready_for_jury().filter(
            certification__in=session.certifications.all(), certification__certifier_id=session.certifier_id
        )
        self.fields["dossier"].label_from_instance = label = (
            lambda d: f"{d.candidate} — {d.certification.title} (dossier {d.number})"
            + (" — nouvelle présentation : unités manquantes" if getattr(d, "presented_before", False) else "")
        )
        if not self.is_bound:
            # Shown on the session page: the dossiers read once (whether there are some, and the options).
            ready = list(self.fields["dossier"].queryset.select_related("candidate", "certification"))
            self.has_dossiers = bool(ready)
            self.fields["dossier"].choices = [("", self.fields["dossier"].empty_label)] + [
                (d.pk, label(d)) for d in ready
            ]
        self._helper()


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label="Présence", choices=Attendance.choices)
    note = forms.CharField(label="Précision (motif de l'absence…)", max_length=300, required=False)


class ConflictForm(_Crispy, forms.Form):
    submit_label = "Déclarer le conflit d'intérêts"
    reason = forms.CharField(
        label="Motif du conflit d'intérêts", max_length=300, help_text="Par exemple : même employeur que le candidat."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class OpenSessionForm(_Crispy, forms.Form):
    submit_label = "Ouvrir la session"
    president = forms.ModelChoiceField(
        label="Président(e) de séance", queryset=User.objects.none(), empty_label="— Choisissez —"
    )
    reason = forms.CharField(
        label="Motif (si la présidence ne revient pas au collège proposé)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    early_reason = forms.CharField(
        label="Motif de l'ouverture la veille (session à distance)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Seulement pour ouvrir la veille une session à distance ; le motif est conservé dans l'historique.",
    )

    def __init__(self, *args, session, proposed_college, **kwargs):
        super().__init__(*args, **kwargs)
        members = {m.user_id: m for m in session.members.select_related("user")}
        self.fields["president"].queryset = User.objects.filter(pk__in=members)
        certifier = session.certifier
        self.fields["president"].label_from_instance = lambda u: (
            f"{u} — {certifier.college_label(members[u.pk].college)}"
        )
        self.fields["president"].help_text = (
            f"Alternance : la présidence revient cette fois au {College(proposed_college).label.lower()}."
            if proposed_college
            else f"Le {certifier.jury_label} désigne librement son président parmi ses membres."
        )
        if not session.is_remote:
            del self.fields["early_reason"]
        self._helper()


class DeliberationForm(_Crispy, forms.Form):
    """One « validé / non validé » choice per unit still to decide, and the prescriptions of a partial validation."""

    submit_label = "Enregistrer la délibération"
    CHOICES = [("1", "Validé"), ("0", "Non validé")]
    experience_to_deepen = forms.CharField(
        label="Expérience professionnelle à approfondir en entreprise",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En cas de validation partielle : ce que le candidat doit développer.",
    )
    modules_to_follow = forms.CharField(
        label="Modules de formation pouvant être suivis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units, initial_decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_decisions = initial_decisions or {}
        self.units = units
        for unit in units:
            field = forms.ChoiceField(label=str(unit), choices=self.CHOICES, widget=forms.RadioSelect)
            if unit.pk in initial_decisions:
                field.initial = "1" if initial_decisions[unit.pk] else "0"
            self.fields[f"unit_{unit.pk}"] = field
        self.order_fields([f"unit_{u.pk}" for u in units] + ["experience_to_deepen", "modules_to_follow"])
        self._helper()

    def decisions(self) -> dict[int, bool]:
        return {u.pk: self.cleaned_data[f"unit_{u.pk}"] == "1" for u in self.units}


class CorrectionForm(DeliberationForm):
    submit_label = "Rectifier la fiche (nouvelle version)"
    confirm = "Rectifier cette fiche signée ? Une nouvelle version est créée et le candidat en est informé."
    reason = forms.CharField(label="Erreur matérielle corrigée (motif)", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["reason"] + list(self.fields))
        self._helper()


class TargetsForm(forms.Form):
    """The units a dossier aims at: « CQP entier » (every unit still to acquire) or a choice among them. The rule of
    the CQP and the ledger are checked by jury.targets.set_targets, whose refusal comes back as a form error."""

    whole = forms.BooleanField(
        label="CQP entier (toutes les unités restant à acquérir)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "data-select-all": "units"}),
    )
    units = forms.TypedMultipleChoiceField(
        label="Unités visées",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.remaining = [u.number for u in units]
        self.fields["units"].choices = [(u.number, str(u)) for u in units]  # « Bloc 1 : … », « Activité 1 : … »

    def clean(self):
        data = super().clean()
        if not data.get("whole") and not data.get("units") and not self.errors:
            raise forms.ValidationError("Cochez au moins une unité, ou « CQP entier ».")
        return data

    def numbers(self) -> list[int]:
        return list(self.remaining) if self.cleaned_data.get("whole") else sorted(self.cleaned_data["units"])
