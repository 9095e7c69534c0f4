"""Accounts, roles and the organisations people belong to."""

import weakref

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .enums import DELETION_OPEN_STATES, College, DeletionRequestState, EntrepriseFunction, ReminderKind, Role

siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET compte exactement 14 chiffres.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        user = self._create_user(email, password, **extra)
        UserRole.objects.get_or_create(user=user, role=Role.ADMIN)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def get_with_roles(self, pk):
        """The person ``pk`` and their roles in one query (cqp/auth_middleware.py: every page of a signed-in person
        reads both): a LEFT JOIN, one row per role or one row without a role. The roles are stored as ``roles.all()``'s
        prefetched rows, as ``User.role_set`` would read them. None: no such person."""
        connection = connections[self.db]
        sql, compiler, converters, size = _with_roles_statement(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            rows = cursor.fetchall()
        if not rows:
            return None
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        names = _USER_ROLE_NAMES
        user = self.model.from_db(self.db, names[0], rows[0][:size])
        roles = [UserRole.from_db(self.db, names[1], row[size:]) for row in rows if row[size] is not None]
        for role in roles:
            role._state.fields_cache["user"] = user
        queryset = user.roles._apply_rel_filters(UserRole.objects.order_by("role"))  # as role_set's prefetch
        queryset._result_cache, queryset._prefetch_done = roles, True
        user._prefetched_objects_cache = {"roles": queryset}
        return user


# The SQL of ``UserManager.get_with_roles``, compiled once per database connection object (the ORM's compiling of a
# 23-column join cost more than running it), with the converters the backend applies to its columns (SQLite's dates).
_WITH_ROLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_USER_ROLE_NAMES: tuple[list[str], list[str]] = ([], [])


def _with_roles_statement(connection):
    statement = _WITH_ROLES.get(connection)
    if statement is None:
        if not _USER_ROLE_NAMES[0]:
            _USER_ROLE_NAMES[0].extend(f.attname for f in User._meta.concrete_fields)
            _USER_ROLE_NAMES[1].extend(f.attname for f in UserRole._meta.concrete_fields)
        user_names, role_names = _USER_ROLE_NAMES
        query = (
            User.objects.using(connection.alias)
            .filter(pk=0)
            .order_by("roles__role")
            .values_list(*user_names, *[f"roles__{name}" for name in role_names])
            .query
        )
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if list(params) != [0]:  # the person's id must be the only parameter
            raise ValueError(f"get_with_roles: unexpected parameters {params!r}")
        converters = compiler.get_converters([col for col, _, _ in compiler.select])
        statement = _WITH_ROLES[connection] = (sql, compiler, converters, len(user_names))
    return statement


class User(AbstractUser):
    """A person. The e-mail address is the login; roles are held in UserRole."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email_confirmed_at = models.DateTimeField("e-mail confirmé le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    # Roles are read once per request and cached on the instance: the rows themselves are prefetched, so that
    # ``user.roles.all()`` (scopes, menus, next actions, messaging) reuses them instead of one query each.
    @property
    def role_set(self) -> set[str]:
        if not hasattr(self, "_role_cache"):
            if self.pk:
                # ordered by role alone: the default ordering (the person's name, then the role) joins the users
                models.prefetch_related_objects([self], models.Prefetch("roles", UserRole.objects.order_by("role")))
            self._role_cache = {r.role for r in self.roles.all()} if self.pk else set()
            if self.is_superuser:
                self._role_cache.add(Role.ADMIN)
        return self._role_cache

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_set

    def staff_certifier_ids(self) -> set[int] | None:
        """The certifiers this person acts for as staff: None for every certifier (an administrator, or an OEMM-role
        account without a certifier), the ids of their staff role's certifier otherwise (empty: not staff)."""
        if not hasattr(self, "_certifier_scope"):
            if not self.is_active:
                scope = set()
            elif Role.ADMIN in self.role_set:
                scope = None
            else:
                rows = [r for r in self.roles.all() if r.role == Role.OEMM] if self.pk else []
                scope = None if any(r.certifier_id is None for r in rows) else {r.certifier_id for r in rows}
            self._certifier_scope = scope
        return self._certifier_scope

    def acts_for_certifier(self, certifier_id) -> bool:
        scope = self.staff_certifier_ids()
        return scope is None or certifier_id in scope


class OrganismeFormation(models.Model):
    """A training centre approved (agréé / habilité) by the certifier."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[siret_validator])
    address = models.TextField("adresse", blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    contact_email = models.EmailField("e-mail du contact", blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    agrement_from = models.DateField("agrément valable du", null=True, blank=True)
    agrement_to = models.DateField("agrément valable jusqu'au", null=True, blank=True)
    certifications = models.ManyToManyField(
        "referentiels.Certification",
        blank=True,
        related_name="organismes",
        verbose_name="CQP pour lesquels il est agréé",
    )
    history = HistoricalRecords(m2m_fields=[certifications])

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agrement_to__isnull=True)
                | Q(agrement_from__isnull=True)
                | Q(agrement_to__gte=models.F("agrement_from")),
                name="organisme_agrement_dates_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.agrement_from and self.agrement_to and self.agrement_to < self.agrement_from:
            raise ValidationError({"agrement_to": "La fin de l'agrément doit suivre son début."})

    def agrement_valid_on(self, day) -> bool:
        return (self.agrement_from is None or self.agrement_from <= day) and (
            self.agrement_to is None or day <= self.agrement_to
        )

    @property
    def agrement_valid_today(self) -> bool:
        return self.agrement_valid_on(timezone.localdate())


class Entreprise(models.Model):
    """An employer (a mutuelle, an organisme de Sécurité sociale...)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[siret_validator])
    address = models.TextField("adresse", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "entreprise"
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserRole(models.Model):
    """One role held by a person, with the organisation it is held for."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name="personne")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisme = models.ForeignKey(
        OrganismeFormation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="organisme de formation",
    )
    entreprise = models.ForeignKey(
        Entreprise, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="entreprise"
    )
    entreprise_function = models.CharField(
        "fonction dans l'entreprise", max_length=20, choices=EntrepriseFunction.choices, blank=True
    )
    college = models.CharField("collège", max_length=20, choices=College.choices, blank=True)
    union_name = models.CharField("organisation représentée", max_length=120, blank=True)
    certifier = models.ForeignKey(
        "referentiels.Certifier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name="certificateur",
        help_text="Équipe d'un certificateur : ne voit et ne traite que ses dossiers et sessions (vide : tous).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle"
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_role_of_a_kind_per_user"),
            models.CheckConstraint(
                condition=~Q(role=Role.ORGANISME) | Q(organisme__isnull=False), name="organisme_role_has_organisme"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.ENTREPRISE) | Q(entreprise__isnull=False), name="entreprise_role_has_entreprise"
            ),
            models.CheckConstraint(condition=~Q(role=Role.JURY) | ~Q(college=""), name="jury_role_has_college"),
        ]

    def __str__(self):
        detail = self.organisme or self.entreprise or self.get_college_display()
        return f"{self.get_role_display()} — {detail}" if detail else self.get_role_display()

    def clean(self):
        errors = {}
        if self.role == Role.ORGANISME and not self.organisme_id:
            errors["organisme"] = "Choisissez l'organisme de formation."
        if self.role == Role.ENTREPRISE and not self.entreprise_id:
            errors["entreprise"] = "Choisissez l'entreprise."
        if self.role == Role.JURY and not self.college:
            errors["college"] = "Choisissez le collège du membre de jury."
        if self.role == Role.JURY and self.college == College.SALARIE and not self.union_name:
            errors["union_name"] = "Indiquez l'organisation syndicale représentée."
        if errors:
            raise ValidationError(errors)


class Reminder(models.Model):
    """One reminder e-mail (kind, subject, threshold, due date, recipient), recorded with its e-mail written to the
    outbox: sent at most once for that due date. A moved deadline (a new due date) is reminded again; the reminders of
    the old date stay recorded."""

    kind = models.CharField("échéance", max_length=30, choices=ReminderKind.choices)
    subject_key = models.CharField("objet", max_length=60, help_text="ex. dossier:12, organisme:3")
    threshold = models.CharField("seuil", max_length=10, help_text="ex. 6m, 14d, 0d")
    due_date = models.DateField("échéance le")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders", verbose_name="destinataire")
    subject_label = models.CharField("libellé", max_length=300)
    url = models.CharField("lien", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField(
        "envoyé le", null=True, blank=True, help_text="Confié à la file d'envoi des e-mails."
    )
    superseded = models.BooleanField(
        "remplacé par un seuil plus proche",
        default=False,
        help_text="Seuil franchi pendant un jour manqué : seul le plus proche de l'échéance est envoyé.",
    )

    class Meta:
        verbose_name = "rappel"
        ordering = ["-due_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "threshold", "due_date", "recipient"],
                name="reminder_sent_once_per_due_date",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "superseded"]), models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.subject_label} ({self.threshold})"


class DeletionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state__in=DELETION_OPEN_STATES)


class DeletionRequest(models.Model):
    """A candidate's request to have their personal data erased (RGPD art. 17), treated by the OEMM."""

    candidate = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="deletion_requests", verbose_name="candidat"
    )
    state = models.CharField(
        "état", max_length=20, choices=DeletionRequestState.choices, default=DeletionRequestState.DEMANDEE
    )
    reason = models.TextField("motif de la demande", blank=True)
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    treated_at = models.DateTimeField("traitée le", null=True, blank=True)
    treated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="traitée par"
    )
    answer = models.TextField("réponse de l'OEMM", blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(state="demandee"), name="one_pending_deletion_request"
            ),
        ]

    def __str__(self):
        return f"Demande d'effacement n° {self.pk} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in DELETION_OPEN_STATES


from .outbox_models import OutboundEmail  # noqa: E402, F401  (the outbox's model, in its own module)
