"""Jury sessions, their members and candidates, convocations and conflicts of interest."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cqp.enums import College, Role

from .. import rules
from ..enums import (
    ACTIVE_STATES,
    Attendance,
    FicheState,
    SessionKind,
    SessionState,
)


class JurySessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A certifier's staff see its sessions; a jury member only the sessions they sit on; anyone else none."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
            scope = user.staff_certifier_ids()
            return self if scope is None else self.filter(certifier_id__in=scope)
        if user.has_role(Role.JURY):
            return self.filter(members__user=user).distinct()
        return self.none()

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def upcoming(self, today):
        return self.filter(date__gte=today).order_by("date", "start_time")


class JurySession(models.Model):
    """A jury session organised by a certifier's staff (the OEMM for the CPNEFP), for one or more of its CQPs."""

    certifier = models.ForeignKey(
        "referentiels.Certifier",
        on_delete=models.PROTECT,
        related_name="jury_sessions",
        verbose_name="certificateur",
    )
    certifications = models.ManyToManyField(
        "referentiels.Certification", related_name="jury_sessions", verbose_name="CQP"
    )
    kind = models.CharField(
        "nature de la session", max_length=20, choices=SessionKind.choices, default=SessionKind.JURY
    )
    date = models.DateField("date de la session")
    start_time = models.TimeField("heure de début")
    place = models.CharField("lieu", max_length=300, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    capacity = models.PositiveIntegerField("nombre de candidats au plus", default=8)
    state = models.CharField("état", max_length=20, choices=SessionState.choices, default=SessionState.PLANIFIEE)
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="président",
    )
    president_college = models.CharField("collège de la présidence", max_length=20, choices=College.choices, blank=True)
    president_reason = models.TextField("motif du choix de l'autre collège", blank=True)
    early_opening_reason = models.TextField(
        "motif de l'ouverture la veille (session à distance)",
        blank=True,
        help_text="Vide : la session a été ouverte le jour même.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="créée par"
    )
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
        if self.kind == SessionKind.COMMISSION:
            return f"Commission paritaire du {self.date:%d/%m/%Y}"
        return f"Session de jury du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("jury:session", kwargs={"pk": self.pk})

    @property
    def is_commission(self) -> bool:
        return self.kind == SessionKind.COMMISSION

    @property
    def location_label(self) -> str:
        parts = [p for p in (self.place, self.video_link) if p]
        return " — ".join(parts)

    @property
    def is_remote(self) -> bool:
        """Held « à distance »: the session has a video link (it may then be opened the day before)."""
        return bool(self.video_link)

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

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
        return {c.pk: slot for c, slot in zip(candidates, times, strict=False)}


class SessionMember(models.Model):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members", verbose_name="session")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats", verbose_name="membre"
    )
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

    session = models.ForeignKey(
        JurySession, on_delete=models.CASCADE, related_name="candidates", verbose_name="session"
    )
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="jury_passages", verbose_name="dossier"
    )
    position = models.PositiveIntegerField("ordre de passage", default=0)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, default=Attendance.ATTENDU)
    attendance_note = models.CharField("précision sur la présence", max_length=300, blank=True)
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidat de la session"
        verbose_name_plural = "candidats de la session"
        ordering = ["session", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "dossier"], name="one_passage_per_dossier_and_session")
        ]

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
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="envoyée par"
    )
    created_at = models.DateTimeField("établie le", auto_now_add=True)
    mailed_at = models.DateTimeField("envoyée le", null=True, blank=True)
    pdf = models.FileField("convocation (PDF)", upload_to="jury/convocations/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convocation"
        ordering = ["session_candidate", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["session_candidate", "version"], name="one_convocation_per_version")
        ]

    def __str__(self):
        return f"Convocation v{self.version} — {self.session_candidate}"

    @property
    def uid(self) -> str:
        # Stable across versions so that calendars update the same event.
        return f"jury-{self.session_candidate.session_id}-{self.session_candidate_id}@cqp-mutualite"


class ConflictOfInterest(models.Model):
    member = models.ForeignKey(SessionMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name="membre")
    session_candidate = models.ForeignKey(
        SessionCandidate, on_delete=models.CASCADE, related_name="conflicts", verbose_name="candidat"
    )
    reason = models.CharField("motif", max_length=300)
    declared_at = models.DateTimeField("déclaré le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "session_candidate"], name="one_conflict_per_member_and_candidate"
            )
        ]

    def __str__(self):
        return f"{self.member.user} / {self.session_candidate.dossier.candidate} : {self.reason}"
