"""Jury sessions, their members and candidates, convocations, deliberations, fiches de décision and certificates."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cqp.enums import College, Role

from . import rules
from .enums import (
    ACTIVE_STATES, Attendance, FicheState, Outcome, PdfStatus, SessionState,
)


class JurySessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """OEMM sees every session; a jury member only the sessions they sit on; anyone else none."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
            return self
        if user.has_role(Role.JURY):
            return self.filter(members__user=user).distinct()
        return self.none()

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def upcoming(self, today):
        return self.filter(date__gte=today).order_by("date", "start_time")


class JurySession(models.Model):
    """A jury session organised by the OEMM, for one or more CQPs."""

    certifications = models.ManyToManyField("referentiels.Certification", related_name="jury_sessions", verbose_name="CQP")
    date = models.DateField("date de la session")
    start_time = models.TimeField("heure de début")
    place = models.CharField("lieu", max_length=300, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    capacity = models.PositiveIntegerField("nombre de candidats au plus", default=8)
    state = models.CharField("état", max_length=20, choices=SessionState.choices, default=SessionState.PLANIFIEE)
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="président"
    )
    president_college = models.CharField("collège de la présidence", max_length=20, choices=College.choices, blank=True)
    president_reason = models.TextField("motif du choix de l'autre collège", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="créée par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    opened_at = models.DateTimeField("ouverte le", null=True, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True)

    objects = JurySessionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "session de jury"
        verbose_name_plural = "sessions de jury"
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="jury_session_has_place_or_link"),
        ]

    def __str__(self):
        return f"Session de jury du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("jury:session", kwargs={"pk": self.pk})

    @property
    def location_label(self) -> str:
        parts = [p for p in (self.place, self.video_link) if p]
        return " — ".join(parts)

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def certification_labels(self) -> str:
        return ", ".join(str(c) for c in self.certifications.all())

    def formats(self) -> list[tuple[str, str]]:
        """(CQP, format) of each CQP of the session, from its référentiel version in force."""
        result = []
        for certification in self.certifications.all():
            version = certification.current_version
            if version:
                result.append((str(certification), version.jury_format))
        return result

    def ordered_candidates(self):
        return self.candidates.select_related(
            "dossier__candidate", "dossier__certification", "dossier__version", "dossier__mention"
        ).order_by("position", "id")

    def slots(self) -> dict[int, tuple[datetime.datetime, datetime.datetime]]:
        """The timetable: session candidate id -> (start, end), computed from the start time and each CQP's format."""
        candidates = list(self.ordered_candidates())
        times = rules.timetable(self.start, [c.slot_length for c in candidates])
        return {c.pk: slot for c, slot in zip(candidates, times)}

    @property
    def is_editable(self) -> bool:
        return self.state == SessionState.PLANIFIEE


class SessionMember(models.Model):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members", verbose_name="session")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats", verbose_name="membre")
    college = models.CharField("collège", max_length=20, choices=College.choices)
    union_name = models.CharField("organisation représentée", max_length=120, blank=True)
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["college", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_person_and_session")]

    def __str__(self):
        detail = self.union_name or self.get_college_display()
        return f"{self.user} ({detail})"


class SessionCandidate(models.Model):
    """A dossier placed in a session: its slot, convocations, attendance, conflicts and fiche de décision."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="candidates", verbose_name="session")
    dossier = models.ForeignKey("candidates.Dossier", on_delete=models.PROTECT, related_name="jury_passages", verbose_name="dossier")
    position = models.PositiveIntegerField("ordre de passage", default=0)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, default=Attendance.ATTENDU)
    attendance_note = models.CharField("précision sur la présence", max_length=300, blank=True)
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidat de la session"
        verbose_name_plural = "candidats de la session"
        ordering = ["session", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="one_passage_per_dossier_and_session")]

    def __str__(self):
        return f"{self.dossier.candidate} — {self.session}"

    def get_absolute_url(self):
        return reverse("jury:candidate", kwargs={"pk": self.session_id, "cid": self.pk})

    @property
    def slot_length(self) -> int:
        version = self.dossier.version
        return rules.slot_minutes(version.jury_presentation_minutes, version.jury_interview_minutes)

    @property
    def last_convocation(self):
        return self.convocations.order_by("-version").first()

    @property
    def current_fiche(self):
        return self.fiches.exclude(state=FicheState.REMPLACEE).order_by("-version").first()

    def conflicted_user_ids(self) -> set[int]:
        return set(self.conflicts.values_list("member__user_id", flat=True))


class Convocation(models.Model):
    """One version of a candidate's convocation: a new one each time the slot or the date changes."""

    session_candidate = models.ForeignKey(SessionCandidate, on_delete=models.CASCADE, related_name="convocations")
    version = models.PositiveIntegerField("version")
    starts_at = models.DateTimeField("début du passage")
    ends_at = models.DateTimeField("fin du passage")
    location = models.CharField("lieu", max_length=600)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="envoyée par")
    created_at = models.DateTimeField("établie le", auto_now_add=True)
    mailed_at = models.DateTimeField("envoyée le", null=True, blank=True)
    pdf = models.FileField("convocation (PDF)", upload_to="jury/convocations/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convocation"
        ordering = ["session_candidate", "-version"]
        constraints = [models.UniqueConstraint(fields=["session_candidate", "version"], name="one_convocation_per_version")]

    def __str__(self):
        return f"Convocation v{self.version} — {self.session_candidate}"

    @property
    def uid(self) -> str:
        # Stable across versions so that calendars update the same event.
        return f"jury-{self.session_candidate.session_id}-{self.session_candidate_id}@cqp-mutualite"


class ConflictOfInterest(models.Model):
    member = models.ForeignKey(SessionMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name="membre")
    session_candidate = models.ForeignKey(SessionCandidate, on_delete=models.CASCADE, related_name="conflicts", verbose_name="candidat")
    reason = models.CharField("motif", max_length=300)
    declared_at = models.DateTimeField("déclaré le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        constraints = [models.UniqueConstraint(fields=["member", "session_candidate"], name="one_conflict_per_member_and_candidate")]

    def __str__(self):
        return f"{self.member.user} / {self.session_candidate.dossier.candidate} : {self.reason}"


class FicheDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """OEMM: all; the session's jury: their sessions' fiches; the candidate: their signed fiches."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
            return self
        query = Q(session_candidate__dossier__candidate=user, state__in=[FicheState.SIGNEE, FicheState.REMPLACEE])
        if user.has_role(Role.JURY):
            query |= Q(session_candidate__session__members__user=user)
        return self.filter(query).distinct()


class FicheDecision(models.Model):
    """The fiche de décision of one candidate at one session. Signed = locked; corrections make a new version."""

    session_candidate = models.ForeignKey(SessionCandidate, on_delete=models.PROTECT, related_name="fiches", verbose_name="candidat")
    version = models.PositiveIntegerField("version", default=1)
    state = models.CharField("état", max_length=20, choices=FicheState.choices, default=FicheState.BROUILLON)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices, blank=True)
    experience_to_deepen = models.TextField("expérience professionnelle à approfondir en entreprise", blank=True)
    modules_to_follow = models.TextField("modules de formation pouvant être suivis", blank=True)
    deliberated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="saisie par"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="signée par"
    )
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    signed_for_president = models.BooleanField("signée pour le président (conflit d'intérêts)", default=False)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction", verbose_name="version rectifiée"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="rectifiée par"
    )
    correction_reason = models.TextField("motif de la rectification (erreur matérielle)", blank=True)
    pdf = models.FileField("fiche de décision (PDF)", upload_to="jury/fiches/", blank=True)
    pdf_status = models.CharField("état du PDF", max_length=20, choices=PdfStatus.choices, blank=True, default=PdfStatus.NONE)
    pdf_error = models.TextField("erreur de fabrication du PDF", blank=True)
    pdf_built_at = models.DateTimeField("PDF fabriqué le", null=True, blank=True)
    mailed_at = models.DateTimeField("envoyée au candidat le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = FicheDecisionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fiche de décision"
        verbose_name_plural = "fiches de décision"
        ordering = ["session_candidate", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["session_candidate", "version"], name="one_fiche_per_version"),
            models.UniqueConstraint(
                fields=["session_candidate"], condition=~Q(state="remplacee"), name="one_current_fiche_per_candidate"
            ),
        ]

    def __str__(self):
        return f"Fiche de décision v{self.version} — {self.session_candidate.dossier.candidate}"

    def get_absolute_url(self):
        return self.session_candidate.get_absolute_url()

    @property
    def is_locked(self) -> bool:
        return self.state != FicheState.BROUILLON

    @property
    def dossier(self):
        return self.session_candidate.dossier

    @property
    def session(self):
        return self.session_candidate.session

    @property
    def pdf_filename(self) -> str:
        return f"fiche-decision-{self.dossier.number}-v{self.version}.pdf"


class UnitDecision(models.Model):
    """The jury's decision on one unit (validé / non validé), or a unit carried over, still valid, from an earlier jury."""

    fiche = models.ForeignKey(FicheDecision, on_delete=models.CASCADE, related_name="unit_decisions")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    validated = models.BooleanField("validé")
    carried_from = models.ForeignKey(
        "ValidatedUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="acquis lors d'un jury précédent",
    )
    carried_validated_on = models.DateField("acquis le", null=True, blank=True)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision par unité"
        verbose_name_plural = "décisions par unité"
        ordering = ["fiche", "unit__number"]
        constraints = [models.UniqueConstraint(fields=["fiche", "unit"], name="one_decision_per_unit_and_fiche")]

    @property
    def is_carried(self) -> bool:
        return self.carried_validated_on is not None


class ValidatedUnitQuerySet(models.QuerySet):
    def of(self, candidate, certification):
        return self.filter(candidate=candidate, certification=certification).select_related("unit", "session")

    def valid_on(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class ValidatedUnit(models.Model):
    """A unit a candidate holds for a CQP, across attempts; it counts while still valid.

    Units of different référentiel versions are matched by their number (a new version keeps the numbering).
    """

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="validated_units", verbose_name="candidat")
    certification = models.ForeignKey("referentiels.Certification", on_delete=models.PROTECT, related_name="+", verbose_name="CQP")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    unit_number = models.PositiveIntegerField("numéro de l'unité")
    validated_on = models.DateField("validée le")
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True, help_text="Vide : durée indéfinie.")
    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="+", verbose_name="session")
    fiche = models.ForeignKey(FicheDecision, on_delete=models.CASCADE, related_name="validated_units", verbose_name="fiche de décision")

    objects = ValidatedUnitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "unité acquise"
        verbose_name_plural = "unités acquises"
        ordering = ["certification", "unit_number", "-validated_on"]
        constraints = [models.UniqueConstraint(fields=["fiche", "unit"], name="one_validated_unit_per_fiche")]

    def __str__(self):
        return f"{self.candidate} — {self.unit}"

    def is_valid_on(self, day) -> bool:
        return rules.is_unit_valid(self.valid_until, day)

    @property
    def is_valid_today(self) -> bool:
        return self.is_valid_on(timezone.localdate())


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    """The CQP certificate of a validation totale, with a public verification code."""

    dossier = models.ForeignKey("candidates.Dossier", on_delete=models.PROTECT, related_name="certificates", verbose_name="dossier")
    fiche = models.ForeignKey(FicheDecision, on_delete=models.PROTECT, related_name="certificates", verbose_name="fiche de décision")
    code = models.CharField("code de vérification", max_length=40, unique=True, default=new_verification_code)
    issued_on = models.DateField("délivré le")
    revoked_at = models.DateTimeField("annulé le", null=True, blank=True)
    revoked_reason = models.TextField("motif de l'annulation", blank=True)
    pdf = models.FileField("certificat (PDF)", upload_to="jury/certificats/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "certificat"
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(revoked_at__isnull=True), name="one_valid_certificate_per_dossier"),
        ]

    def __str__(self):
        return f"Certificat {self.dossier.certification} — {self.dossier.candidate}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def get_verification_url(self):
        return reverse("verification:verify", kwargs={"code": self.code})


class SessionEvent(models.Model):
    """Audit trail of a session: who did what, when, from which state to which, and why."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="events")
    session_candidate = models.ForeignKey(SessionCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    at = models.DateTimeField("le", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="par")
    action = models.CharField("action", max_length=60)
    label = models.CharField("libellé", max_length=300)
    from_state = models.CharField("de", max_length=30, blank=True)
    to_state = models.CharField("vers", max_length=30, blank=True)
    comment = models.TextField("motif ou commentaire", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "événement de session"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.session} — {self.label}"
