from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from cqp.models import OrganismeFormation
from referentiels.models import Certification, Mention


class _Crispy:
    submit_label = "Valider"

    def _helper(self):
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class VaeInscriptionForm(_Crispy, forms.Form):
    submit_label = "M'inscrire"
    certification = forms.ModelChoiceField(
        label="CQP visé", queryset=Certification.objects.none(), empty_label="— Choisissez un CQP —"
    )
    mention = forms.ModelChoiceField(
        label="Mention",
        queryset=Mention.objects.none(),
        required=False,
        help_text="Pour le CQP Spécialiste prestations : santé ou prévoyance.",
    )
    organisme = forms.ModelChoiceField(
        label="Organisme de formation pour l'entretien d'accueil (facultatif)",
        queryset=OrganismeFormation.objects.none(),
        required=False,
        help_text="Un centre agréé pour ce CQP ; vous pourrez le choisir plus tard.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = Certification.objects.with_current_version()
        self.fields["mention"].queryset = Mention.objects.filter(version__is_current=True).select_related(
            "version__certification"
        )
        self.fields["mention"].label_from_instance = lambda m: f"{m.label} ({m.version.certification.title})"
        self.fields["organisme"].queryset = OrganismeFormation.objects.all()
        self._helper()

    def clean(self):
        cleaned = super().clean()
        certification, mention, organisme = (
            cleaned.get("certification"),
            cleaned.get("mention"),
            cleaned.get("organisme"),
        )
        if certification:
            version = certification.current_version
            if version.mentions.exists() and not mention:
                self.add_error("mention", "Ce CQP a des mentions : choisissez-en une.")
            elif mention and mention.version_id != version.pk:
                self.add_error("mention", "Cette mention n'appartient pas au CQP choisi.")
            if organisme and not organisme.certifications.filter(pk=certification.pk).exists():
                self.add_error("organisme", "Cet organisme n'est pas agréé pour ce CQP.")
        return cleaned


class EmployeeInscriptionForm(VaeInscriptionForm):
    submit_label = "Inscrire le salarié"
    email = forms.EmailField(label="Adresse e-mail du salarié")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    field_order = ["first_name", "last_name", "email", "certification", "mention", "organisme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].label = "Organisme de formation agréé (facultatif)"
        self.fields[
            "organisme"
        ].help_text = "Le centre qui assurera la formation ; l'entreprise peut conduire seule l'entretien d'accueil."
        self.order_fields(self.field_order)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CloseDossierForm(_Crispy, forms.Form):
    submit_label = "Clore le dossier"
    reason = forms.CharField(label="Motif de la clôture", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ExtendFirstJuryForm(_Crispy, forms.Form):
    submit_label = "Prolonger le délai"
    until = forms.DateField(
        label="Nouvelle date limite de première présentation", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Motif de la prolongation", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
