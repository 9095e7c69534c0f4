"""The volume seeder: organisations, candidates, dossiers with their audit trail, livrets 1 and reminders in bulk
(the jury sessions come from ``JurySeeding``)."""

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from candidates.deadlines import add_months, add_years
from candidates.enums import DossierState, Path
from candidates.models import Dossier, DossierEvent
from cqp.enums import EntrepriseFunction, Role
from cqp.models import Entreprise, OrganismeFormation, Reminder, ReminderKind, User, UserRole
from referentiels.models import Certification

from .data import (
    BATCH,
    CITIES,
    DEMO_PASSWORD,
    FIRST_NAMES,
    FUNCTIONS,
    LAST_NAMES,
    PATH_TO,
    PER_SESSION,
    STATE_WEIGHTS,
    bulk_insert,
)
from .jury import JurySeeding


class Seeder(JurySeeding):
    def __init__(
        self, *, candidates, sessions=None, per_session=PER_SESSION, light=False, states=None, seed=2026, log=print
    ):
        self.n = candidates
        self.states = states
        self.sessions = sessions if sessions is not None else max(2, candidates // 50)
        self.per_session = per_session
        self.light = light
        self.rng = random.Random(seed + User.objects.count())
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()

    # ------------------------------------------------------------------ helpers
    def step(self, label, started):
        self.log(f"  {label} : {time.monotonic() - started:.1f} s")
        return time.monotonic()

    def _pick_state(self):
        return self.rng.choices([s for s, _ in STATE_WEIGHTS], weights=[w for _, w in STATE_WEIGHTS])[0]

    # ------------------------------------------------------------------ run
    @transaction.atomic
    def run(self) -> dict:
        t = time.monotonic()
        certs = list(Certification.objects.filter(versions__is_current=True).distinct().order_by("code"))
        if not certs:
            raise CommandError("Aucun référentiel chargé : lancez d'abord « python manage.py load_referentiels ».")
        self.versions = {}
        for cert in certs:
            version = cert.current_version
            self.versions[cert.pk] = (version, list(version.mentions.all()), list(version.units.all()))
        self.certs = certs
        # Unique tag of this run (e-mails, SIRET): 12 organismes per run.
        self.batch = OrganismeFormation.objects.filter(siret__startswith="71").count() // 12 + 1
        self.password = make_password(DEMO_PASSWORD)
        self.oemm = User.objects.filter(roles__role=Role.OEMM, is_active=True).order_by("pk").first()
        if self.oemm is None:
            self.oemm = User.objects.create(
                email=f"oemm-{self.batch}@volume.cqp",
                first_name="Gestionnaire",
                last_name="OEMM",
                password=self.password,
                is_staff=True,
                email_confirmed_at=self.now,
            )
            UserRole.objects.create(user=self.oemm, role=Role.OEMM)
        self._organisations()
        users = self._candidates()
        t = self.step(f"{len(users)} candidats", t)
        dossiers = self._dossiers(users)
        t = self.step(f"{len(dossiers)} dossiers et leur historique", t)
        counts = {"candidates": len(users), "dossiers": len(dossiers)}
        if self.light:
            return counts
        counts["livrets1"] = self._livrets(dossiers)
        t = self.step(f"{counts['livrets1']} livrets 1", t)
        counts.update(
            self._juries(dossiers) if self.sessions else {"sessions": 0, "session_candidates": 0, "fiches": 0}
        )
        t = self.step(f"{counts['sessions']} sessions de jury, {counts['fiches']} fiches de décision", t)
        counts["reminders"] = self._reminders(dossiers)
        self.step(f"{counts['reminders']} rappels", t)
        return counts

    def _organisations(self):
        b = self.batch
        self.organismes = bulk_insert(
            OrganismeFormation,
            [
                OrganismeFormation(
                    name=f"Centre de formation mutualiste {CITIES[i % len(CITIES)]} {b}-{i}",
                    siret=f"71{b:04d}{i:08d}",
                    contact_email=f"contact-{b}-{i}@centre.volume.cqp",
                    agrement_from=self.today.replace(month=1, day=1) - datetime.timedelta(days=365),
                    agrement_to=add_months(self.today, 6 + 3 * i),
                )
                for i in range(12)
            ],
        )
        through = OrganismeFormation.certifications.through
        bulk_insert(
            through,
            [through(organismeformation_id=o.pk, certification_id=c.pk) for o in self.organismes for c in self.certs],
        )
        self.entreprises = bulk_insert(
            Entreprise,
            [
                Entreprise(
                    name=f"Mutuelle {LAST_NAMES[i % len(LAST_NAMES)]} {b}-{i}",
                    siret=f"72{b:04d}{i:08d}",
                    address=f"{i + 1} rue de la Mutualité, {CITIES[i % len(CITIES)]}",
                )
                for i in range(40)
            ],
        )
        rh = bulk_insert(
            User,
            [
                User(
                    email=f"rh-{b}-{i}@volume.cqp",
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[i % len(LAST_NAMES)],
                    password=self.password,
                    email_confirmed_at=self.now,
                )
                for i in range(len(self.entreprises))
            ],
        )
        bulk_insert(
            UserRole,
            [
                UserRole(user=u, role=Role.ENTREPRISE, entreprise=e, entreprise_function=EntrepriseFunction.RH)
                for u, e in zip(rh, self.entreprises, strict=False)
            ],
        )
        self.rh = dict(zip([e.pk for e in self.entreprises], rh, strict=False))

    def _candidates(self):
        b, rng = self.batch, self.rng
        users = bulk_insert(
            User,
            [
                User(
                    email=f"candidat-{b}-{i}@volume.cqp",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    phone=f"06{rng.randrange(10**8):08d}",
                    password=self.password,
                    email_confirmed_at=self.now,
                )
                for i in range(self.n)
            ],
        )
        bulk_insert(UserRole, [UserRole(user=u, role=Role.CANDIDAT) for u in users])
        return users

    def _dossiers(self, users):
        rng, today = self.rng, self.today
        dossiers = []
        for i, user in enumerate(users):
            cert = self.certs[i % len(self.certs)]
            version, mentions, _ = self.versions[cert.pk]
            if self.states:
                state = self.states[i % len(self.states)]
            elif self.light:
                state = rng.choice(
                    [DossierState.INSCRIT, DossierState.ORIENTE, DossierState.RECEVABLE, DossierState.PRET_JURY]
                )
            else:
                state = self._pick_state()
            path = Path.VAE if rng.random() < 0.65 else Path.FORMATION
            if path == Path.FORMATION and state == DossierState.RECEVABLE:
                state = DossierState.ORIENTE  # no recevabilité on the voie formative
            age = rng.randrange(400, 1100) if state == DossierState.DECIDE else rng.randrange(0, 1120)
            inscription = today - datetime.timedelta(days=age)
            entreprise = rng.choice(self.entreprises) if path == Path.FORMATION else None
            organisme = rng.choice(self.organismes) if (path == Path.FORMATION or rng.random() < 0.6) else None
            dossiers.append(
                Dossier(
                    number=f"tmp-{self.batch}-{i}",
                    candidate=user,
                    certification=cert,
                    version=version,
                    mention=rng.choice(mentions) if mentions else None,
                    path=path,
                    state=state,
                    inscription_date=inscription,
                    first_jury_deadline=add_years(inscription, version.first_jury_window_years),
                    entreprise=entreprise,
                    organisme=organisme,
                    registered_by=self.rh[entreprise.pk] if entreprise else user,
                    closed_reason="Abandon du candidat (changement de poste)." if state == DossierState.CLOS else "",
                )
            )
        dossiers = bulk_insert(Dossier, dossiers)
        # Numbers as the workflow gives them: <year of inscription>-<id on 6 digits>, in one UPDATE.
        Dossier.objects.filter(number__startswith=f"tmp-{self.batch}-").update(
            number=Concat(
                Cast(ExtractYear("inscription_date"), CharField()),
                Value("-"),
                LPad(Cast("id", CharField()), 6, Value("0")),
                output_field=CharField(),
            )
        )
        events = []
        for d in dossiers:
            label = (
                "Inscription (VAE (validation des acquis de l'expérience))"
                if d.path == Path.VAE
                else "Inscription (Voie formative)"
            )
            events.append(
                DossierEvent(
                    dossier=d,
                    actor_id=d.registered_by_id,
                    action="register",
                    label=label,
                    to_state=DossierState.INSCRIT,
                    data={"first_jury_deadline": d.first_jury_deadline.isoformat()},
                )
            )
            previous = DossierState.INSCRIT
            for action, target in PATH_TO[d.state]:
                if d.path == Path.FORMATION and action == "declare_recevable":
                    continue
                events.append(
                    DossierEvent(
                        dossier=d,
                        actor=self.oemm,
                        action=action,
                        label=DossierState(target).label,
                        from_state=previous,
                        to_state=target,
                        comment=d.closed_reason if action == "close" else "",
                    )
                )
                previous = target
        bulk_insert(DossierEvent, events)
        for d in dossiers:  # the numbers given by the UPDATE above
            d.number = f"{d.inscription_date.year}-{d.pk:06d}"
        return dossiers

    def _livrets(self, dossiers) -> int:
        try:
            from vae.models import Experience, Livret1
        except ImportError:  # the vae app is being reworked: the volume goes on without livrets
            self.log("  vae.models indisponible : pas de livrets 1")
            return 0
        fields = {f.name for f in Livret1._meta.get_fields()}
        exp_fields = {f.name for f in Experience._meta.get_fields()}
        state_of = {
            DossierState.INSCRIT: "brouillon",
            DossierState.ORIENTE: "soumis",
            DossierState.RECEVABLE: "recevable",
            DossierState.PRET_JURY: "recevable",
            DossierState.DECIDE: "recevable",
            DossierState.CLOS: "non_recevable",
        }
        rng, livrets = self.rng, []
        for d in dossiers:
            if d.path != Path.VAE or (d.state == DossierState.INSCRIT and rng.random() < 0.5):
                continue
            version = self.versions[d.certification_id][0]
            state = state_of[d.state]
            received = d.inscription_date + datetime.timedelta(days=20)
            decided = received + datetime.timedelta(days=30) if state in ("recevable", "non_recevable") else None
            values = dict(
                dossier=d,
                referentiel=version,
                state=state,
                birth_name=d.candidate.last_name.upper(),
                first_names=d.candidate.first_name,
                sex=rng.choice("FM"),
                birth_date=datetime.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                birth_place=f"{rng.choice(CITIES)} (France)",
                nationality="Française",
                address=f"{rng.randrange(1, 120)} avenue de la République, {rng.randrange(10, 95)}000 "
                f"{rng.choice(CITIES)}",
                phone=d.candidate.phone,
                email=d.candidate.email,
                situation="salarie",
                situation_detail="CDI dans une mutuelle santé",
                last_class="Terminale",
                highest_diploma="Baccalauréat",
                certifications_held="BTS Assurance (2012)" if rng.random() < 0.3 else "",
                declaration_accepted=state != "brouillon",
                declaration_place=rng.choice(CITIES),
                declaration_date=received if state != "brouillon" else None,
                submitted_at=self.now if state != "brouillon" else None,
                received_on=received if state != "brouillon" else None,
                instruction_deadline=(self.today + datetime.timedelta(days=rng.randrange(-5, 60)))
                if state == "soumis"
                else (add_months(received, version.instruction_delay_months) if state != "brouillon" else None),
                decided_on=decided,
                decided_by=self.oemm if decided else None,
                gap_analysis="Expérience en relation directe avec les activités du référentiel." if decided else "",
                decision_comment="Expérience insuffisante dans le secteur." if state == "non_recevable" else "",
                valid_until=add_months(decided, version.recevabilite_validity_months)
                if decided and state == "recevable" and version.recevabilite_validity_months
                else None,
            )
            livrets.append(Livret1(**{k: v for k, v in values.items() if k in fields}))
        livrets = bulk_insert(Livret1, livrets)
        experiences = []
        for livret in livrets:
            for position in range(1 + rng.randrange(2)):
                values = dict(
                    livret=livret,
                    position=position,
                    function=rng.choice(FUNCTIONS),
                    organisation=f"Mutuelle {rng.choice(LAST_NAMES)}",
                    status="salarie",
                    start=datetime.date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1),
                    end=None if position == 0 else datetime.date(2021, 6, 30),
                    hours_per_week=35,
                    activities="Accueil et conseil des adhérents, étude des besoins, présentation des garanties, "
                    "suivi des dossiers de prestations et traitement des réclamations.",
                )
                experiences.append(Experience(**{k: v for k, v in values.items() if k in exp_fields}))
        bulk_insert(Experience, experiences)
        return len(livrets)

    # ------------------------------------------------------------------ juries
    def _reminders(self, dossiers) -> int:
        horizon = add_months(self.today, 6)
        rows = [
            Reminder(
                kind=ReminderKind.FIRST_JURY,
                subject_key=f"dossier:{d.pk}",
                threshold="6m",
                due_date=d.first_jury_deadline,
                recipient_id=d.candidate_id,
                subject_label=f"{d.number} — première présentation au jury",
                url=f"/dossiers/{d.number}/",
                sent_at=self.now,
            )
            for d in dossiers
            if d.state in (DossierState.INSCRIT, DossierState.ORIENTE, DossierState.RECEVABLE)
            and self.today <= d.first_jury_deadline <= horizon
        ]
        return len(Reminder.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True))


def seed_volume(*, candidates, log=print, **options) -> dict:
    return Seeder(candidates=candidates, log=log, **options).run()
