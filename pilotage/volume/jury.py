"""Jury sessions in bulk for the volume seeder: the jury pool, past, planned and open sessions, and the
candidates placed in them (passages, convocations, signed fiches de décision, validated units, certificates)."""

import datetime
import random

from django.utils import timezone

from candidates.deadlines import add_years
from candidates.enums import DossierState
from cqp.enums import College, Role
from cqp.models import User, UserRole

from .data import BATCH, FIRST_NAMES, LAST_NAMES, bulk_insert


class JurySeeding:
    """The jury part of ``Seeder`` (a mixin: it uses the seeder's batch, rng, dates and log)."""

    def _jury_pool(self):
        b = self.batch
        demo = list(
            User.objects.filter(
                email__in=[
                    "jury-employeur@demo.cqp",
                    "jury-employeur2@demo.cqp",
                    "jury-salarie@demo.cqp",
                    "jury-salarie2@demo.cqp",
                ]
            ).order_by("email")
        )
        unions = ["CFDT", "CGT", "FO", "CFE-CGC", "CFTC"]
        users = bulk_insert(
            User,
            [
                User(
                    email=f"jury-{b}-{i}@volume.cqp",
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                    password=self.password,
                    email_confirmed_at=self.now,
                )
                for i in range(24)
            ],
        )
        roles = [
            UserRole(
                user=u,
                role=Role.JURY,
                college=College.EMPLOYEUR if i % 2 == 0 else College.SALARIE,
                union_name="UGEM" if i % 2 == 0 else unions[i % len(unions)],
            )
            for i, u in enumerate(users)
        ]
        bulk_insert(UserRole, roles)
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
            specs.append(
                (SessionState.CLOSE, today - datetime.timedelta(days=30 + 7 * (n_past - k)), cert, DossierState.DECIDE)
            )
        specs.append((SessionState.OUVERTE, today, self.certs[0], DossierState.PRET_JURY))
        for k in range(n_planned):
            cert = self.certs[(k + 1) % len(self.certs)]
            specs.append(
                (SessionState.PLANIFIEE, today + datetime.timedelta(days=21 + 7 * k), cert, DossierState.PRET_JURY)
            )
        sessions, placed = [], []
        for state, day, cert, dossier_state in specs:
            available = by_cert.get((cert.pk, dossier_state), [])
            take, by_cert[(cert.pk, dossier_state)] = available[: self.per_session], available[self.per_session :]
            sessions.append(
                JurySession(
                    certifier_id=cert.certifier_id,
                    date=day,
                    start_time=datetime.time(9, 0),
                    place="OEMM, 255 rue de Vaugirard, 75015 Paris",
                    capacity=max(self.per_session, 8),
                    state=state,
                    created_by=self.oemm,
                    opened_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
                    if state != SessionState.PLANIFIEE
                    else None,
                    closed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))
                    if state == SessionState.CLOSE
                    else None,
                )
            )
            placed.append((cert, take))
        sessions = bulk_insert(JurySession, sessions)
        through = JurySession.certifications.through
        bulk_insert(
            through,
            [
                through(jurysession_id=s.pk, certification_id=cert.pk)
                for s, (cert, _) in zip(sessions, placed, strict=False)
            ],
        )
        members, presidents = [], {}
        for s in sessions:
            if s.state == SessionState.OUVERTE and len(demo_members) >= 4:
                chosen = demo_members[:4]
            else:
                chosen = [(u, College.EMPLOYEUR, n) for u, n in rng.sample(pool[College.EMPLOYEUR], 2)] + [
                    (u, College.SALARIE, n) for u, n in rng.sample(pool[College.SALARIE], 2)
                ]
            for user, college, union in chosen:
                members.append(SessionMember(session=s, user=user, college=college, union_name=union))
            if s.state != SessionState.PLANIFIEE:
                president = next((u, c) for u, c, _ in chosen if c == College.EMPLOYEUR)
                presidents[s.pk] = president
                s.president, s.president_college = president
        bulk_insert(SessionMember, members)
        JurySession.objects.bulk_update(
            [s for s in sessions if s.pk in presidents], ["president", "president_college"], batch_size=BATCH
        )
        bulk_insert(
            SessionEvent,
            [
                SessionEvent(
                    session=s,
                    actor=self.oemm,
                    action="create_session",
                    label="Session créée",
                    to_state=SessionState.PLANIFIEE,
                )
                for s in sessions
            ],
        )
        counts = {"sessions": len(sessions), "session_candidates": 0, "fiches": 0}
        for s, (_cert, take) in zip(sessions, placed, strict=False):
            added = add_candidates(
                s,
                take,
                by=self.oemm,
                decided=s.state == SessionState.CLOSE,
                president=presidents.get(s.pk, (None,))[0],
                rng=rng,
                versions=self.versions,
            )
            counts["session_candidates"] += added["candidates"]
            counts["fiches"] += added["fiches"]
        return counts


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
    passages = bulk_insert(
        SessionCandidate,
        [
            SessionCandidate(
                session=session,
                dossier=d,
                position=start + i,
                attendance=Attendance.PRESENT if decided else Attendance.ATTENDU,
            )
            for i, d in enumerate(dossiers)
        ],
    )
    begin = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    convocations = []
    for p, d in zip(passages, dossiers, strict=False):
        length = rules.slot_minutes(d.version.jury_presentation_minutes, d.version.jury_interview_minutes)
        end = begin + datetime.timedelta(minutes=length)
        convocations.append(
            Convocation(
                session_candidate=p,
                version=1,
                starts_at=begin,
                ends_at=end,
                location=session.place or session.video_link,
                sent_by=by,
                mailed_at=timezone.now(),
            )
        )
        begin, position = end, position + 1
    bulk_insert(Convocation, convocations)
    if not decided:
        return {"candidates": len(passages), "fiches": 0}
    signed_at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(17, 0)))
    fiches = []
    for p, _dossier in zip(passages, dossiers, strict=False):
        outcome = rng.choices([Outcome.TOTALE, Outcome.PARTIELLE, Outcome.AUCUNE], weights=[60, 30, 10])[0]
        fiches.append(
            FicheDecision(
                session_candidate=p,
                state=FicheState.BROUILLON,
                outcome=outcome,
                deliberated_by=president,
                signed_by=president,
                signed_at=signed_at,
                mailed_at=signed_at,
                experience_to_deepen="Approfondir le traitement des réclamations complexes."
                if outcome != Outcome.TOTALE
                else "",
                modules_to_follow="Module « Relation adhérent et situations difficiles »."
                if outcome != Outcome.TOTALE
                else "",
            )
        )
    fiches = bulk_insert(FicheDecision, fiches)
    decisions, validated, certificates = [], [], []
    for fiche, d in zip(fiches, dossiers, strict=False):
        version = d.version
        units = [
            u
            for u in (versions[d.certification_id][2] if versions else version.units.all())
            if u.mention_id is None or u.mention_id == d.mention_id
        ]
        for k, unit in enumerate(units):
            ok = fiche.outcome == Outcome.TOTALE or (fiche.outcome == Outcome.PARTIELLE and k % 2 == 0)
            decisions.append(UnitDecision(fiche=fiche, unit=unit, validated=ok))
            if ok:
                validated.append(
                    ValidatedUnit(
                        candidate_id=d.candidate_id,
                        certification_id=d.certification_id,
                        unit=unit,
                        unit_number=unit.number,
                        validated_on=session.date,
                        session=session,
                        fiche=fiche,
                        valid_until=add_years(session.date, version.partial_validity_years)
                        if version.partial_validity_years
                        else None,
                    )
                )
        if fiche.outcome == Outcome.TOTALE:
            certificates.append(Certificate(dossier=d, fiche=fiche, issued_on=session.date))
    bulk_insert(UnitDecision, decisions)
    # Signed once their unit decisions exist: the database refuses changes to a signed fiche (jury 0003).
    FicheDecision.objects.filter(pk__in=[f.pk for f in fiches]).update(state=FicheState.SIGNEE)
    bulk_insert(ValidatedUnit, validated)
    bulk_insert(Certificate, certificates)
    return {"candidates": len(passages), "fiches": len(fiches)}
