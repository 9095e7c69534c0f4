from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string

from .enums import INVITED_ROLES, College, EntrepriseFunction, Role
from .form_fields import ModelMultipleChoiceField
from .models import Entreprise, OrganismeFormation, User


class CrispyMixin:
    submit_label = "Enregistrer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte n'est pas encore activé : suivez le lien reçu par e-mail.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Se connecter"))


class SignupForm(CrispyMixin, forms.ModelForm):
    submit_label = "Créer mon compte"
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone"]
        labels = {"first_name": "Prénom", "last_name": "Nom"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True

    def validate_unique(self):
        """No « address already taken » error: it would tell anyone which addresses have an account. The sign-up
        service e-mails the owner instead (cqp.accounts.sign_up_candidate)."""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif p1:
            user = User(
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class InviteForm(CrispyMixin, forms.Form):
    submit_label = "Envoyer l'invitation"
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=[(r.value, r.label) for r in INVITED_ROLES])
    organisme = forms.ModelChoiceField(
        label="Organisme de formation",
        queryset=OrganismeFormation.objects.all(),
        required=False,
        help_text="Pour le rôle « Organisme de formation ».",
    )
    entreprise = forms.ModelChoiceField(
        label="Entreprise", queryset=Entreprise.objects.all(), required=False, help_text="Pour le rôle « Entreprise »."
    )
    entreprise_function = forms.ChoiceField(
        label="Fonction dans l'entreprise", choices=[("", "—")] + EntrepriseFunction.choices, required=False
    )
    college = forms.ChoiceField(label="Collège (membre de jury)", choices=[("", "—")] + College.choices, required=False)
    union_name = forms.CharField(
        label="Organisation représentée",
        max_length=120,
        required=False,
        help_text="Pour un membre de jury : l'organisation syndicale (collège salarié) ou l'UGEM.",
    )
    certifier = forms.ModelChoiceField(
        label="Certificateur (équipe du certificateur)",
        queryset=None,
        required=False,
        help_text="Pour le rôle « Équipe du certificateur » : la personne ne verra que les dossiers et sessions de "
        "ce certificateur (l'OEMM agit pour la CPNEFP Mutualité).",
    )

    def __init__(self, *args, user=None, **kwargs):
        from referentiels.models import Certifier

        super().__init__(*args, **kwargs)
        scope = user.staff_certifier_ids() if user is not None else None
        certifiers = Certifier.objects.all()
        self.fields["certifier"].queryset = certifiers if scope is None else certifiers.filter(pk__in=scope)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.ORGANISME and not cleaned.get("organisme"):
            self.add_error("organisme", "Choisissez l'organisme de formation de cette personne.")
        if role == Role.ENTREPRISE and not cleaned.get("entreprise"):
            self.add_error("entreprise", "Choisissez l'entreprise de cette personne.")
        if role == Role.OEMM and not cleaned.get("certifier"):
            self.add_error("certifier", "Choisissez le certificateur pour lequel cette personne agit.")
        if role == Role.JURY and not cleaned.get("college"):
            self.add_error("college", "Choisissez le collège du membre de jury.")
        if role == Role.JURY and cleaned.get("college") == College.SALARIE and not cleaned.get("union_name"):
            self.add_error("union_name", "Indiquez l'organisation syndicale représentée.")
        email = cleaned.get("email")
        if email and role:
            existing = User.objects.filter(email__iexact=email).first()
            if existing and existing.roles.filter(role=role).exists():
                self.add_error("role", "Cette personne a déjà ce rôle.")
        return cleaned


class OrganismeForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = OrganismeFormation
        fields = [
            "name",
            "siret",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "agrement_from",
            "agrement_to",
            "certifications",
        ]
        widgets = {
            "agrement_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agrement_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certifications": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"certifications": ModelMultipleChoiceField}


class EntrepriseForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Entreprise
        fields = ["name", "siret", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class EmailChangeForm(CrispyMixin, forms.Form):
    submit_label = "Recevoir le lien de confirmation"
    new_email = forms.EmailField(
        label="Nouvelle adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Mot de passe actuel", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        from .email_change import address_taken

        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError("C'est déjà votre adresse actuelle.")
        if address_taken(email, by_other_than=self.user):
            raise forms.ValidationError("Cette adresse est déjà utilisée par un autre compte.")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mot de passe incorrect.")
        return password


class OtpCodeForm(CrispyMixin, forms.Form):
    """A six-digit code from the authentication app."""

    submit_label = "Valider"
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its e-mail written to the outbox (cqp/outbox.py) instead of sent in the request:
    a mail server down does not lose it (retried, then listed for the OEMM), and the page answers at once."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        import uuid

        from .outbox import enqueue

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        enqueue(key=f"password_reset:{uuid.uuid4().hex}", to=[to_email], subject=subject, text=text, html=html)
