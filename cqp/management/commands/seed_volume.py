"""Realistic volume for benchmarks: thousands of candidates, dossiers, livrets, jury sessions, in bulk.

``python manage.py seed_volume --candidates 10000`` (or ``seed_demo --candidates 10000``) creates, with
``bulk_create`` and no workflow function (no e-mail, no history rows), in one transaction:

- N candidates (users with the candidate role, the demo password), spread over the four CQPs and both paths;
- N dossiers in varied states (inscrit ... décidé, clos), each with its audit trail (DossierEvent);
- a livret 1 with text (état civil, situation, diplômes, one or two experiences) for VAE dossiers, when
  ``vae.models`` provides it (imported defensively: fields it does not know are skipped);
- jury sessions (200 for 10,000 candidates): past closed ones holding the decided dossiers (20 each, with
  members, convocations, signed fiches de décision, unit decisions, validated units, certificates), planned
  ones holding the dossiers ready for the jury, and one open session today, chaired by the demo jury;
- sent reminder rows (first-jury reminders of the open dossiers).

Each run adds a new batch (e-mails ``candidat-<batch>-<i>@volume.cqp``), so it can be run again.
``--light`` creates only candidates, open dossiers and their first event (used for the 100,000-dossier
reminders measure). Run after ``load_referentiels`` (and ``seed_demo`` for the demo accounts).
"""

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from candidates.deadlines import add_months, add_years
from candidates.enums import DossierState, Path
from candidates.models import Dossier, DossierEvent
from cqp.enums import College, EntrepriseFunction, Role
from cqp.models import Entreprise, OrganismeFormation, Reminder, ReminderKind, User, UserRole
from referentiels.models import Certification

DEMO_PASSWORD = "demo-cqp-2026"
BATCH = 2000

FIRST_NAMES = ["Camille", "Léa", "Nadia", "Julien", "Karim", "Sophie", "Thomas", "Inès", "Hugo", "Chloé", "Yanis",
               "Manon", "Lucas", "Sarah", "Mehdi", "Emma", "Louis", "Aïcha", "Paul", "Claire", "Antoine", "Zoé"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
              "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Benali"]
CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes", "Strasbourg", "Dijon"]
FUNCTIONS = ["Conseiller mutualiste", "Gestionnaire de prestations santé", "Chargé d'accueil", "Téléconseiller",
             "Gestionnaire de parcours", "Conseiller offres de services"]

# Share of dossiers per state (the rest of the platform's life: most are open, a third decided).
STATE_WEIGHTS = [
    (DossierState.INSCRIT, 22), (DossierState.ORIENTE, 13), (DossierState.RECEVABLE, 15),
    (DossierState.PRET_JURY, 15), (DossierState.DECIDE, 30), (DossierState.CLOS, 5),
]
# The transitions that lead to each state (labels as in the workflow).
PATH_TO = {
    DossierState.INSCRIT: [],
    DossierState.ORIENTE: [("orient", DossierState.ORIENTE)],
    DossierState.RECEVABLE: [("orient", DossierState.ORIENTE), ("declare_recevable", DossierState.RECEVABLE)],
    DossierState.PRET_JURY: [("orient", DossierState.ORIENTE), ("declare_recevable", DossierState.RECEVABLE),
                             ("mark_ready_for_jury", DossierState.PRET_JURY)],
    DossierState.DECIDE: [("orient", DossierState.ORIENTE), ("declare_recevable", DossierState.RECEVABLE),
                          ("mark_ready_for_jury", DossierState.PRET_JURY), ("record_decision", DossierState.DECIDE)],
    DossierState.CLOS: [("close", DossierState.CLOS)],
}
PER_SESSION = 20


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


class Seeder:
    def __init__(self, *, candidates, sessions=None, per_session=PER_SESSION, light=False, states=None, seed=2026, log=print):
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
            self.oemm = User.objects.create(email=f"oemm-{self.batch}@volume.cqp", first_name="Gestionnaire", last_name="OEMM",
                                            password=self.password, is_staff=True, email_confirmed_at=self.now)
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
        counts.update(self._juries(dossiers) if self.sessions else {"sessions": 0, "session_candidates": 0, "fiches": 0})
        t = self.step(f"{counts['sessions']} sessions de jury, {counts['fiches']} fiches de décision", t)
        counts["reminders"] = self._reminders(dossiers)
        self.step(f"{counts['reminders']} rappels", t)
        return counts

    def _organisations(self):
        b = self.batch
        self.organismes = _bulk(OrganismeFormation, [
            OrganismeFormation(name=f"Centre de formation mutualiste {CITIES[i % len(CITIES)]} {b}-{i}",
                               siret=f"71{b:04d}{i:08d}", contact_email=f"contact-{b}-{i}@centre.volume.cqp",
                               agrement_from=self.today.replace(month=1, day=1) - datetime.timedelta(days=365),
                               agrement_to=add_months(self.today, 6 + 3 * i))
            for i in range(12)
        ])
        through = OrganismeFormation.certifications.through
        _bulk(through, [through(organismeformation_id=o.pk, certification_id=c.pk) for o in self.organismes for c in self.certs])
        self.entreprises = _bulk(Entreprise, [
            Entreprise(name=f"Mutuelle {LAST_NAMES[i % len(LAST_NAMES)]} {b}-{i}", siret=f"72{b:04d}{i:08d}",
                       address=f"{i + 1} rue de la Mutualité, {CITIES[i % len(CITIES)]}")
            for i in range(40)
        ])
        rh = _bulk(User, [
            User(email=f"rh-{b}-{i}@volume.cqp", first_name=FIRST_NAMES[i % len(FIRST_NAMES)], last_name=LAST_NAMES[i % len(LAST_NAMES)],
                 password=self.password, email_confirmed_at=self.now)
            for i in range(len(self.entreprises))
        ])
        _bulk(UserRole, [UserRole(user=u, role=Role.ENTREPRISE, entreprise=e, entreprise_function=EntrepriseFunction.RH)
                         for u, e in zip(rh, self.entreprises)])
        self.rh = dict(zip([e.pk for e in self.entreprises], rh))

    def _candidates(self):
        b, rng = self.batch, self.rng
        users = _bulk(User, [
            User(email=f"candidat-{b}-{i}@volume.cqp", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                 phone=f"06{rng.randrange(10**8):08d}", password=self.password, email_confirmed_at=self.now)
            for i in range(self.n)
        ])
        _bulk(UserRole, [UserRole(user=u, role=Role.CANDIDAT) for u in users])
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
                state = rng.choice([DossierState.INSCRIT, DossierState.ORIENTE, DossierState.RECEVABLE, DossierState.PRET_JURY])
            else:
                state = self._pick_state()
            path = Path.VAE if rng.random() < 0.65 else Path.FORMATION
            if path == Path.FORMATION and state == DossierState.RECEVABLE:
                state = DossierState.ORIENTE  # no recevabilité on the voie formative
            age = rng.randrange(400, 1100) if state == DossierState.DECIDE else rng.randrange(0, 1120)
            inscription = today - datetime.timedelta(days=age)
            entreprise = rng.choice(self.entreprises) if path == Path.FORMATION else None
            organisme = rng.choice(self.organismes) if (path == Path.FORMATION or rng.random() < 0.6) else None
            dossiers.append(Dossier(
                number=f"tmp-{self.batch}-{i}", candidate=user, certification=cert, version=version,
                mention=rng.choice(mentions) if mentions else None, path=path, state=state, inscription_date=inscription,
                first_jury_deadline=add_years(inscription, version.first_jury_window_years),
                entreprise=entreprise, organisme=organisme,
                registered_by=self.rh[entreprise.pk] if entreprise else user,
                closed_reason="Abandon du candidat (changement de poste)." if state == DossierState.CLOS else "",
            ))
        dossiers = _bulk(Dossier, dossiers)
        # Numbers as the workflow gives them: <year of inscription>-<id on 6 digits>, in one UPDATE.
        Dossier.objects.filter(number__startswith=f"tmp-{self.batch}-").update(number=Concat(
            Cast(ExtractYear("inscription_date"), CharField()), Value("-"), LPad(Cast("id", CharField()), 6, Value("0")),
            output_field=CharField(),
        ))
        events = []
        for d in dossiers:
            label = "Inscription (VAE (validation des acquis de l'expérience))" if d.path == Path.VAE else "Inscription (Voie formative)"
            events.append(DossierEvent(dossier=d, actor_id=d.registered_by_id, action="register", label=label,
                                       to_state=DossierState.INSCRIT,
                                       data={"first_jury_deadline": d.first_jury_deadline.isoformat()}))
            previous = DossierState.INSCRIT
            for action, target in PATH_TO[d.state]:
                if d.path == Path.FORMATION and action == "declare_recevable":
                    continue
                events.append(DossierEvent(
                    dossier=d, actor=self.oemm, action=action, label=DossierState(target).label, from_state=previous,
                    to_state=target, comment=d.closed_reason if action == "close" else "",
                ))
                previous = target
        _bulk(DossierEvent, events)
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
            DossierState.INSCRIT: "brouillon", DossierState.ORIENTE: "soumis", DossierState.RECEVABLE: "recevable",
            DossierState.PRET_JURY: "recevable", DossierState.DECIDE: "recevable", DossierState.CLOS: "non_recevable",
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
                dossier=d, referentiel=version, state=state, birth_name=d.candidate.last_name.upper(),
                first_names=d.candidate.first_name, sex=rng.choice("FM"),
                birth_date=datetime.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                birth_place=f"{rng.choice(CITIES)} (France)", nationality="Française",
                address=f"{rng.randrange(1, 120)} avenue de la République, {rng.randrange(10, 95)}000 {rng.choice(CITIES)}",
                phone=d.candidate.phone, email=d.candidate.email, situation="salarie",
                situation_detail="CDI dans une mutuelle santé", last_class="Terminale", highest_diploma="Baccalauréat",
                certifications_held="BTS Assurance (2012)" if rng.random() < 0.3 else "",
                declaration_accepted=state != "brouillon", declaration_place=rng.choice(CITIES),
                declaration_date=received if state != "brouillon" else None,
                submitted_at=self.now if state != "brouillon" else None,
                received_on=received if state != "brouillon" else None,
                instruction_deadline=(self.today + datetime.timedelta(days=rng.randrange(-5, 60))) if state == "soumis"
                else (add_months(received, version.instruction_delay_months) if state != "brouillon" else None),
                decided_on=decided, decided_by=self.oemm if decided else None,
                gap_analysis="Expérience en relation directe avec les activités du référentiel." if decided else "",
                decision_comment="Expérience insuffisante dans le secteur." if state == "non_recevable" else "",
                valid_until=add_months(decided, version.recevabilite_validity_months)
                if decided and state == "recevable" and version.recevabilite_validity_months else None,
            )
            livrets.append(Livret1(**{k: v for k, v in values.items() if k in fields}))
        livrets = _bulk(Livret1, livrets)
        experiences = []
        for livret in livrets:
            for position in range(1 + rng.randrange(2)):
                values = dict(
                    livret=livret, position=position, function=rng.choice(FUNCTIONS),
                    organisation=f"Mutuelle {rng.choice(LAST_NAMES)}", status="salarie",
                    start=datetime.date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1), end=None if position == 0 else datetime.date(2021, 6, 30),
                    hours_per_week=35,
                    activities="Accueil et conseil des adhérents, étude des besoins, présentation des garanties, "
                               "suivi des dossiers de prestations et traitement des réclamations.",
                )
                experiences.append(Experience(**{k: v for k, v in values.items() if k in exp_fields}))
        _bulk(Experience, experiences)
        return len(livrets)

    # ------------------------------------------------------------------ juries
    def _jury_pool(self):
        b = self.batch
        demo = list(User.objects.filter(email__in=[
            "jury-employeur@demo.cqp", "jury-employeur2@demo.cqp", "jury-salarie@demo.cqp", "jury-salarie2@demo.cqp",
        ]).order_by("email"))
        unions = ["CFDT", "CGT", "FO", "CFE-CGC", "CFTC"]
        users = _bulk(User, [
            User(email=f"jury-{b}-{i}@volume.cqp", first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                 last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)], password=self.password, email_confirmed_at=self.now)
            for i in range(24)
        ])
        roles = [UserRole(user=u, role=Role.JURY, college=College.EMPLOYEUR if i % 2 == 0 else College.SALARIE,
                          union_name="UGEM" if i % 2 == 0 else unions[i % len(unions)]) for i, u in enumerate(users)]
        _bulk(UserRole, roles)
        pool = {College.EMPLOYEUR: [], College.SALARIE: []}
        for r in roles:
            pool[r.college].append((r.user, r.union_name))
        demo_members = [(u, r) for u in demo for r in u.roles.filter(role=Role.JURY)]
        return pool, [(u, r.college, r.union_name) for u, r in demo_members]

    def _juries(self, dossiers) -> dict:
        from jury.enums import SessionState
        from jury.models import JurySession, SessionEvent, SessionMember

        rng, today = self.rng, self.today
        pool, demo_members = self._jury_pool()
        by_cert = {}
        for d in dossiers:
            by_cert.setdefault((d.certification_id, d.state), []).append(d)
        n_sessions = self.sessions
        n_open = 1
        n_planned = max(1, n_sessions // 4) - n_open if n_sessions > 2 else 1
        n_past = n_sessions - n_planned - n_open
        specs = []  # (state, date, cert, dossiers)
        for k in range(n_past):
            cert = self.certs[k % len(self.certs)]
            specs.append((SessionState.CLOSE, today - datetime.timedelta(days=30 + 7 * (n_past - k)), cert, DossierState.DECIDE))
        specs.append((SessionState.OUVERTE, today, self.certs[0], DossierState.PRET_JURY))
        for k in range(n_planned):
            cert = self.certs[(k + 1) % len(self.certs)]
            specs.append((SessionState.PLANIFIEE, today + datetime.timedelta(days=21 + 7 * k), cert, DossierState.PRET_JURY))
        sessions, placed = [], []
        for state, day, cert, dossier_state in specs:
            available = by_cert.get((cert.pk, dossier_state), [])
            take, by_cert[(cert.pk, dossier_state)] = available[:self.per_session], available[self.per_session:]
            sessions.append(JurySession(
                date=day, start_time=datetime.time(9, 0), place="OEMM, 255 rue de Vaugirard, 75015 Paris",
                capacity=max(self.per_session, 8), state=state, created_by=self.oemm,
                opened_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30))) if state != SessionState.PLANIFIEE else None,
                closed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0))) if state == SessionState.CLOSE else None,
            ))
            placed.append((cert, take))
        sessions = _bulk(JurySession, sessions)
        through = JurySession.certifications.through
        _bulk(through, [through(jurysession_id=s.pk, certification_id=cert.pk) for s, (cert, _) in zip(sessions, placed)])
        members, presidents = [], {}
        for s in sessions:
            if s.state == SessionState.OUVERTE and len(demo_members) >= 4:
                chosen = demo_members[:4]
            else:
                chosen = [(u, College.EMPLOYEUR, n) for u, n in rng.sample(pool[College.EMPLOYEUR], 2)] + \
                         [(u, College.SALARIE, n) for u, n in rng.sample(pool[College.SALARIE], 2)]
            for user, college, union in chosen:
                members.append(SessionMember(session=s, user=user, college=college, union_name=union))
            if s.state != SessionState.PLANIFIEE:
                president = next((u, c) for u, c, _ in chosen if c == College.EMPLOYEUR)
                presidents[s.pk] = president
                s.president, s.president_college = president
        _bulk(SessionMember, members)
        JurySession.objects.bulk_update([s for s in sessions if s.pk in presidents], ["president", "president_college"], batch_size=BATCH)
        _bulk(SessionEvent, [SessionEvent(session=s, actor=self.oemm, action="create_session", label="Session créée",
                                          to_state=SessionState.PLANIFIEE) for s in sessions])
        counts = {"sessions": len(sessions), "session_candidates": 0, "fiches": 0}
        for s, (cert, take) in zip(sessions, placed):
            added = add_candidates(s, take, by=self.oemm, decided=s.state == SessionState.CLOSE,
                                   president=presidents.get(s.pk, (None,))[0], rng=rng, versions=self.versions)
            counts["session_candidates"] += added["candidates"]
            counts["fiches"] += added["fiches"]
        return counts

    def _reminders(self, dossiers) -> int:
        horizon = add_months(self.today, 6)
        rows = [
            Reminder(kind=ReminderKind.FIRST_JURY, subject_key=f"dossier:{d.pk}", threshold="6m", due_date=d.first_jury_deadline,
                     recipient_id=d.candidate_id, subject_label=f"{d.number} — première présentation au jury",
                     url=f"/dossiers/{d.number}/", sent_at=self.now)
            for d in dossiers if d.state in (DossierState.INSCRIT, DossierState.ORIENTE, DossierState.RECEVABLE)
            and self.today <= d.first_jury_deadline <= horizon
        ]
        return len(Reminder.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True))


def add_candidates(session, dossiers, *, by, decided=False, president=None, rng=None, versions=None) -> dict:
    """Place dossiers in a session in bulk: passage, convocation, and for a past session a signed fiche de décision
    with its unit decisions, validated units and, for a validation totale, a certificate."""
    from jury import rules
    from jury.enums import Attendance, FicheState, Outcome
    from jury.models import Certificate, Convocation, FicheDecision, SessionCandidate, UnitDecision, ValidatedUnit

    rng = rng or random.Random(session.pk)
    if not dossiers:
        return {"candidates": 0, "fiches": 0}
    start = position = session.candidates.count()
    passages = _bulk(SessionCandidate, [
        SessionCandidate(session=session, dossier=d, position=start + i,
                         attendance=Attendance.PRESENT if decided else Attendance.ATTENDU)
        for i, d in enumerate(dossiers)
    ])
    begin = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    convocations = []
    for p, d in zip(passages, dossiers):
        length = rules.slot_minutes(d.version.jury_presentation_minutes, d.version.jury_interview_minutes)
        end = begin + datetime.timedelta(minutes=length)
        convocations.append(Convocation(session_candidate=p, version=1, starts_at=begin, ends_at=end,
                                        location=session.place or session.video_link, sent_by=by, mailed_at=timezone.now()))
        begin, position = end, position + 1
    _bulk(Convocation, convocations)
    if not decided:
        return {"candidates": len(passages), "fiches": 0}
    signed_at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(17, 0)))
    fiches = []
    for p, d in zip(passages, dossiers):
        outcome = rng.choices([Outcome.TOTALE, Outcome.PARTIELLE, Outcome.AUCUNE], weights=[60, 30, 10])[0]
        fiches.append(FicheDecision(
            session_candidate=p, state=FicheState.BROUILLON, outcome=outcome, deliberated_by=president, signed_by=president,
            signed_at=signed_at, mailed_at=signed_at,
            experience_to_deepen="Approfondir le traitement des réclamations complexes." if outcome != Outcome.TOTALE else "",
            modules_to_follow="Module « Relation adhérent et situations difficiles »." if outcome != Outcome.TOTALE else "",
        ))
    fiches = _bulk(FicheDecision, fiches)
    decisions, validated, certificates = [], [], []
    for fiche, d in zip(fiches, dossiers):
        version = d.version
        units = [u for u in (versions[d.certification_id][2] if versions else version.units.all())
                 if u.mention_id is None or u.mention_id == d.mention_id]
        for k, unit in enumerate(units):
            ok = fiche.outcome == Outcome.TOTALE or (fiche.outcome == Outcome.PARTIELLE and k % 2 == 0)
            decisions.append(UnitDecision(fiche=fiche, unit=unit, validated=ok))
            if ok:
                validated.append(ValidatedUnit(
                    candidate_id=d.candidate_id, certification_id=d.certification_id, unit=unit, unit_number=unit.number,
                    validated_on=session.date, session=session, fiche=fiche,
                    valid_until=add_years(session.date, version.partial_validity_years) if version.partial_validity_years else None,
                ))
        if fiche.outcome == Outcome.TOTALE:
            certificates.append(Certificate(dossier=d, fiche=fiche, issued_on=session.date))
    _bulk(UnitDecision, decisions)
    # Signed once their unit decisions exist: the database refuses changes to a signed fiche (jury 0003).
    FicheDecision.objects.filter(pk__in=[f.pk for f in fiches]).update(state=FicheState.SIGNEE)
    _bulk(ValidatedUnit, validated)
    _bulk(Certificate, certificates)
    return {"candidates": len(passages), "fiches": len(fiches)}


def seed_volume(*, candidates, log=print, **options) -> dict:
    return Seeder(candidates=candidates, log=log, **options).run()


class Command(BaseCommand):
    help = "Crée en masse des candidats, dossiers, livrets, sessions de jury et décisions (mesures de performance)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=10000, help="nombre de candidats (et de dossiers)")
        parser.add_argument("--sessions", type=int, default=None, help="sessions de jury (défaut : candidats / 50)")
        parser.add_argument("--light", action="store_true", help="candidats et dossiers ouverts seulement")

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = seed_volume(candidates=options["candidates"], sessions=options["sessions"], light=options["light"],
                             log=self.stdout.write)
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"Volume créé en {time.monotonic() - started:.1f} s : {detail}")
