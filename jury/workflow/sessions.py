"""Transitions of a jury session: planning (date, place, members, candidates and their order), opening with the
president, closing. Life of a session (``SessionState``, table ``SESSION_TRANSITIONS``)::

    (none) --create_session--> planifiee --open_session--> ouverte --close_session--> close
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from candidates.audit import record_event
from candidates.enums import DossierState, Path
from cqp.enums import College, NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from referentiels.expected_documents import JURY, expected_documents, missing_required

from .. import readiness, rules, selectors, targets
from ..audit import day_label, record_session_event
from ..enums import ACTIVE_STATES, NOT_PRESENT, SessionKind
from ..models import JurySession, SessionCandidate, SessionMember
from .checks import check_session, lock_session, require_oemm
from .convocations import reconvoke_changed

PLACE_MISSING = "Indiquez le lieu de la session ou un lien de visioconférence."


def _check_place(place, video_link):
    if not (place or "").strip() and not (video_link or "").strip():
        raise WorkflowError(PLACE_MISSING)


@transaction.atomic
def _check_commission_allowed(certifications):
    for certification in certifications:
        version = certification.current_version
        if not (version and version.target_rules.get("partial_allowed")):
            raise WorkflowError(
                f"Le {certification} se prépare en entier : ses dossiers passent devant le jury, "
                "pas devant une commission paritaire."
            )


def create_session(
    *, by, certifications, date, start_time, place="", video_link="", capacity, kind=SessionKind.JURY
) -> JurySession:
    """OEMM plans a session (a jury, or a commission paritaire) for one or more CQPs."""
    require_oemm(by, "Seul l'OEMM organise les sessions de jury.")
    certifications = list(certifications)
    if not certifications:
        raise WorkflowError("Choisissez au moins un CQP.")
    certifiers = {c.certifier_id for c in certifications}
    if len(certifiers) > 1:
        raise WorkflowError("Une session réunit les CQP d'un seul certificateur : créez une session par certificateur.")
    certifier = certifications[0].certifier
    if not by.acts_for_certifier(certifier.pk):
        raise WorkflowError(f"Vous n'organisez pas les sessions de {certifier.designation}.")
    _check_place(place, video_link)
    if kind == SessionKind.COMMISSION:
        _check_commission_allowed(certifications)
    session = JurySession.objects.create(
        kind=kind,
        certifier=certifier,
        date=date,
        start_time=start_time,
        place=place or "",
        video_link=video_link or "",
        capacity=capacity,
        created_by=by,
    )
    session.certifications.set(certifications)
    record_session_event(
        session,
        actor=by,
        action="create_session",
        label="Session créée",
        to_state=session.state,
        data={"date": date.isoformat(), "start_time": start_time.isoformat(), "cqp": [c.code for c in certifications]},
    )
    return session


@transaction.atomic
def reschedule_session(session, *, by, date, start_time, place="", video_link="", capacity) -> int:
    """OEMM changes the date, time, place or capacity; convoked candidates whose slot changed get a new convocation.

    Returns the number of new convocations sent.
    """
    locked = lock_session(session)
    check_session(locked, "plan")
    _check_place(place, video_link)
    count = locked.candidates.count()
    if capacity < count:
        raise WorkflowError(f"La session compte déjà {count} candidats : la capacité ne peut pas être inférieure.")
    if date != locked.date:
        late = []
        for candidate in locked.ordered_candidates():
            if candidate.convocations.exists():
                due = rules.livret2_late(
                    date,
                    candidate.dossier.version.livret2_due_months_before_session,
                    readiness.livret2_received_on(candidate.dossier),
                )
                if due:
                    word = rules.livret_word(candidate.dossier.path)
                    late.append(f"{candidate.dossier.candidate} ({word} attendu au plus tard le {day_label(due)})")
        if late:
            raise WorkflowError(
                "Nouvelle date impossible pour des candidats déjà convoqués : " + " ; ".join(late) + "."
            )
    before = {
        "date": locked.date.isoformat(),
        "start_time": locked.start_time.isoformat(),
        "lieu": locked.location_label,
        "capacite": locked.capacity,
    }
    locked.date, locked.start_time, locked.place, locked.video_link, locked.capacity = (
        date,
        start_time,
        place or "",
        video_link or "",
        capacity,
    )
    locked.save(update_fields=["date", "start_time", "place", "video_link", "capacity"])
    after = {
        "date": date.isoformat(),
        "start_time": start_time.isoformat(),
        "lieu": locked.location_label,
        "capacite": capacity,
    }
    change = record_session_event(
        locked, actor=by, action="reschedule_session", label="Session modifiée", data={"avant": before, "apres": after}
    )
    sent = reconvoke_changed(locked, by=by, reason="Session modifiée")
    if any(before[key] != after[key] for key in ("date", "start_time", "lieu")):  # the members: where and when now
        publish_on_commit(NotificationKind.JURY_SESSION_MOVED, by=by, session=locked.pk, change=change.pk)
    if locked.is_commission and before["date"] != after["date"]:  # not convoked: told the new date
        for seat in locked.candidates.all():
            publish_on_commit(NotificationKind.COMMISSION_SCHEDULED, by=by, session_candidate=seat.pk)
    session.refresh_from_db()
    return sent


@transaction.atomic
def add_member(session, *, by, user) -> SessionMember:
    locked = lock_session(session)
    check_session(locked, "plan")
    role = user.roles.filter(role=Role.JURY).first()
    if role is None or not user.is_active:
        raise WorkflowError(f"{user} n'est pas membre de jury.")
    if locked.members.filter(user=user).exists():
        raise WorkflowError(f"{user} siège déjà dans ce jury.")
    maximum = locked.certifier.jury_max_members
    if locked.members.count() >= maximum:
        raise WorkflowError(f"Le jury compte déjà {maximum} membres.")
    member = SessionMember.objects.create(session=locked, user=user, college=role.college, union_name=role.union_name)
    record_session_event(
        locked,
        actor=by,
        action="add_member",
        label=f"Membre ajouté : {member}",
        data={"user": user.pk, "college": role.college},
    )
    publish_on_commit(NotificationKind.JURY_APPOINTED, by=by, member=member.pk)
    return member


@transaction.atomic
def remove_member(member, *, by):
    locked = lock_session(member.session)
    check_session(locked, "plan")
    label, seat, user = str(member), member.pk, member.user_id
    member.delete()
    record_session_event(locked, actor=by, action="remove_member", label=f"Membre retiré : {label}")
    publish_on_commit(NotificationKind.JURY_MEMBER_REMOVED, by=by, member=seat, session=locked.pk, user=user)


def check_jury_documents(dossier) -> None:
    """The documents the certification requires before the jury (référentiel data) must all be there."""
    slots = expected_documents(dossier.certification.code, dossier.path, JURY)
    missing = missing_required(slots, dossier.pieces.values_list("kind", flat=True)) if slots else []
    if missing:
        labels = " ; ".join(slot["label"].lower() for slot in missing)
        raise WorkflowError(
            f"Le dossier {dossier.number} ne peut pas être placé en session : "
            f"documents requis avant le jury manquants ({labels})."
        )


@transaction.atomic
def add_candidate(session, *, by, dossier) -> SessionCandidate:
    """OEMM places a dossier « prêt pour le jury » in the session (not yet convoked)."""
    locked = lock_session(session)
    check_session(locked, "plan")
    if not (
        dossier.state == DossierState.PRET_JURY
        or (dossier.state in (DossierState.RECEVABLE, DossierState.COMPLEMENT) and dossier.path == Path.VAE)
    ):
        raise WorkflowError(
            f"Le dossier {dossier.number} n'est pas prêt pour le jury (« {dossier.get_state_display()} »)."
        )
    check_jury_documents(dossier)
    if dossier.certification.certifier_id != locked.certifier_id:
        raise WorkflowError(
            f"Le dossier {dossier.number} relève de {dossier.certification.certifier.designation} : "
            f"cette session est celle de {locked.certifier.designation}."
        )
    if not locked.certifications.filter(pk=dossier.certification_id).exists():
        raise WorkflowError(f"Cette session ne porte pas sur le {dossier.certification}.")
    kind_problem = targets.placement_problem(locked, dossier)  # jury or commission paritaire (issue 17)
    if kind_problem:
        raise WorkflowError(kind_problem)
    count = locked.candidates.count()
    if count >= locked.capacity:
        raise WorkflowError(f"La session est complète ({locked.capacity} candidats).")
    elsewhere = SessionCandidate.objects.filter(dossier=dossier, session__state__in=ACTIVE_STATES)
    if elsewhere.exists():
        raise WorkflowError(f"Le dossier {dossier.number} est déjà inscrit à une session de jury.")
    position = (locked.candidates.aggregate(m=Max("position"))["m"] or 0) + 1
    again = dossier.jury_passages.exists()
    candidate = SessionCandidate.objects.create(session=locked, dossier=dossier, position=position)
    record_session_event(
        locked,
        actor=by,
        action="add_candidate",
        label=f"Candidat ajouté : {dossier.candidate} (dossier {dossier.number})"
        + (" — nouvelle présentation pour les unités manquantes" if again else ""),
        session_candidate=candidate,
    )
    if locked.is_commission:  # not convoked: told the date, by a notification (and its e-mail)
        record_event(
            dossier,
            actor=by,
            action="commission_placed",
            label=f"Placé dans la commission paritaire du {day_label(locked.date)} (examen sur dossier)",
            from_state=dossier.state,
            to_state=dossier.state,
        )
        publish_on_commit(NotificationKind.COMMISSION_SCHEDULED, by=by, session_candidate=candidate.pk)
    if again:
        record_event(
            dossier,
            actor=by,
            action="jury_placed_again",
            label=f"Placé dans la session du {day_label(locked.date)} pour les unités manquantes",
            from_state=dossier.state,
            to_state=dossier.state,
        )
    return candidate


@transaction.atomic
def remove_candidate(candidate, *, by):
    locked = lock_session(candidate.session)
    check_session(locked, "plan")
    dossier = candidate.dossier
    convoked = candidate.convocations.exists()
    seat = candidate.pk
    candidate.delete()
    record_session_event(
        locked,
        actor=by,
        action="remove_candidate",
        label=f"Candidat retiré : {dossier.candidate} (dossier {dossier.number})",
    )
    if convoked:
        record_event(
            dossier,
            actor=by,
            action="jury_unconvoked",
            label=f"Convocation au jury du {day_label(locked.date)} annulée",
        )
    publish_on_commit(
        NotificationKind.SESSION_PLACE_WITHDRAWN,
        by=by,
        seat=seat,
        session=locked.pk,
        dossier=dossier.pk,
        convoked=convoked,
    )
    reconvoke_changed(locked, by=by, reason="Ordre de passage modifié")


@transaction.atomic
def move_candidate_up(candidate, *, by):
    """Swap the candidate with the one before; convoked candidates whose slot changes get a new convocation."""
    locked = lock_session(candidate.session)
    check_session(locked, "plan")
    ordered = list(locked.ordered_candidates())
    index = next(i for i, c in enumerate(ordered) if c.pk == candidate.pk)
    if index == 0:
        return 0
    ordered[index - 1], ordered[index] = ordered[index], ordered[index - 1]
    for position, c in enumerate(ordered, start=1):
        SessionCandidate.objects.filter(pk=c.pk).update(position=position)
    record_session_event(
        locked,
        actor=by,
        action="reorder",
        label=f"Ordre de passage modifié : {candidate.dossier.candidate} avancé(e)",
        session_candidate=candidate,
    )
    return reconvoke_changed(locked, by=by, reason="Ordre de passage modifié")


def proposed_president_college(session) -> str | None:
    """The college whose turn it is to preside (None: the certifier's presidency does not alternate)."""
    return rules.next_president_college(
        selectors.previous_president_college(session), alternates=session.certifier.president_alternates
    )


@transaction.atomic
def open_session(session, *, by, president, reason="", early_reason="") -> JurySession:
    """Start of the session, on its date (a remote session: the day before at the earliest, with ``early_reason``):
    parity checked, president designated (the college whose turn it is, unless a reason)."""
    require_oemm(by, "Seul l'OEMM ouvre la session.")
    locked = lock_session(session)
    target = check_session(locked, "open_session")
    today = timezone.localdate()
    early_reason = (early_reason or "").strip() if today < locked.date else ""
    problem = rules.opening_problem(locked.date, today, remote=locked.is_remote, early_reason=early_reason)
    if problem:
        raise WorkflowError(problem)
    members = list(locked.members.select_related("user"))
    certifier = locked.certifier
    problems = rules.check_composition(members, **targets.composition_rule(locked))
    if problems:
        raise WorkflowError(
            f"La session ne peut pas s'ouvrir, le {certifier.jury_label} n'a pas la composition requise : "
            + " ".join(problems)
        )
    if not locked.candidates.exists():
        raise WorkflowError("La session ne compte aucun candidat.")
    member = next((m for m in members if m.user_id == president.pk), None)
    if member is None:
        raise WorkflowError("Le président est désigné parmi les membres du jury.")
    proposed = proposed_president_college(locked)
    reason = (reason or "").strip()
    if proposed is None:
        proposed = member.college
    if member.college != proposed and not reason:
        raise WorkflowError(
            f"La présidence revient cette fois au {College(proposed).label.lower()} (alternance). "
            f"Pour désigner un membre du {College(member.college).label.lower()}, indiquez le motif."
        )
    previous = locked.state
    locked.state = target
    locked.president = president
    locked.president_college = member.college
    locked.president_reason = reason if member.college != proposed else ""
    locked.opened_at = timezone.now()
    locked.early_opening_reason = early_reason
    locked.save(
        update_fields=[
            "state",
            "president",
            "president_college",
            "president_reason",
            "opened_at",
            "early_opening_reason",
        ]
    )
    record_session_event(
        locked,
        actor=by,
        action="open_session",
        label="Session à distance ouverte la veille" if early_reason else "Session ouverte",
        from_state=previous,
        to_state=target,
        comment=early_reason,
        data={"early": True, "opened_on": today.isoformat(), "reason": early_reason} if early_reason else None,
    )
    record_session_event(
        locked,
        actor=by,
        action="designate_president",
        label=f"Président désigné : {president} ({College(member.college).label})",
        to_state=member.college,
        comment=locked.president_reason,
        data={"proposed_college": proposed, "college": member.college, "user": president.pk},
    )
    session.refresh_from_db()
    return locked


@transaction.atomic
def close_session(session, *, by):
    require_oemm(by, "Seul l'OEMM clôt la session.")
    locked = lock_session(session)
    previous, target = locked.state, check_session(locked, "close_session")
    pending = []
    for candidate in locked.ordered_candidates():
        if candidate.attendance in NOT_PRESENT:
            continue
        fiche = candidate.current_fiche
        if fiche is None or not fiche.is_locked:
            pending.append(str(candidate.dossier.candidate))
    if pending:
        raise WorkflowError("Fiches de décision non signées (ou présence non indiquée) : " + ", ".join(pending) + ".")
    locked.state = target
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    record_session_event(
        locked, actor=by, action="close_session", label="Session close", from_state=previous, to_state=target
    )
    session.refresh_from_db()
