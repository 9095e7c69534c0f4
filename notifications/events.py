"""From an event published by a workflow function (cqp/staff_events.py) to its notifications: who is told, what,
and where to act. One builder per kind; each reads its objects by id (gone since: nothing) and calls ``notify``.

The person who caused the event is not told about it (a president who deliberates knows the fiche awaits them)."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from candidates.models import Dossier, EntretienSlot
from cqp.enums import NotificationKind
from cqp.templatetags.french import date_fr
from jury.models import FicheDecision, JurySession, SessionCandidate, SessionEvent, SessionMember
from vae.models import ConventionAccompagnement, Livret1, Livret2, Piece

from .delivery import notify
from .recipients import centre_ids, staff_ids

PARIS = ZoneInfo("Europe/Paris")


def _who(dossier) -> str:
    return f"{dossier.candidate} (dossier {dossier.number}, {dossier.certification.title})"


def livret1_received(*, livret1):
    livret = Livret1.objects.select_related("dossier__candidate", "dossier__certification").filter(pk=livret1).first()
    if livret is None:
        return None
    dossier = livret.dossier
    return {
        "recipient_ids": staff_ids(dossier.certification.certifier_id),
        "key": f"livret1:{livret.pk}:{livret.submitted_at:%Y%m%d%H%M%S}",
        "message": f"Livret 1 reçu de {_who(dossier)} : recevabilité à instruire"
        + (f" avant le {date_fr(livret.instruction_deadline)}" if livret.instruction_deadline else ""),
        "url": reverse("vae:livret1_decide", kwargs={"number": dossier.number}),
        "dossier_id": dossier.pk,
    }


def livret2_received(*, livret2):
    livret = Livret2.objects.select_related("dossier__candidate", "dossier__certification").filter(pk=livret2).first()
    if livret is None:
        return None
    dossier = livret.dossier
    return {
        "recipient_ids": staff_ids(dossier.certification.certifier_id),
        "key": f"livret2:{livret.pk}:{livret.submitted_at:%Y%m%d%H%M%S}",
        "message": f"Livret 2 envoyé par {_who(dossier)} : réception à enregistrer",
        "url": reverse("vae:livret2", kwargs={"number": dossier.number}),
        "dossier_id": dossier.pk,
    }


def livret_evaluation_received(*, dossier):
    dossier = Dossier.objects.select_related("candidate", "certification").filter(pk=dossier).first()
    if dossier is None:
        return None
    return {
        "recipient_ids": staff_ids(dossier.certification.certifier_id),
        "key": f"livret_evaluation:{dossier.pk}",
        "message": f"Livret d'évaluation finale transmis pour {_who(dossier)} : dossier à déclarer prêt pour le jury",
        "url": reverse("candidates:formation_livret", kwargs={"number": dossier.number}),
        "dossier_id": dossier.pk,
    }


def centre_chosen(*, dossier):
    dossier = Dossier.objects.select_related("candidate", "certification").filter(pk=dossier).first()
    if dossier is None or dossier.organisme_id is None:
        return None
    return {
        "recipient_ids": centre_ids(dossier.organisme_id),
        "key": f"centre:{dossier.pk}:{dossier.organisme_id}",
        "message": f"{dossier.candidate} a choisi votre organisme pour son dossier {dossier.number} "
        f"({dossier.certification.title}) : entretien d'accueil à mener",
        "url": dossier.get_absolute_url(),
        "dossier_id": dossier.pk,
    }


def entretien_booked(*, slot, dossier):
    """A candidate booked a créneau of the centre, or cancelled their booking (the slot is then free again)."""
    slot = EntretienSlot.objects.filter(pk=slot).first()
    dossier = Dossier.objects.select_related("candidate").filter(pk=dossier).first()
    if slot is None or dossier is None:
        return None
    booked = slot.state == "reserve" and slot.booked_by_id == dossier.pk
    when = f"{date_fr(slot.starts_at)} à {slot.starts_at.astimezone(PARIS):%H:%M}"
    what = "a réservé l'entretien d'accueil" if booked else "a annulé sa réservation de l'entretien d'accueil"
    return {
        "recipient_ids": centre_ids(slot.organisme_id),
        "key": f"slot:{slot.pk}:{dossier.pk}:{slot.sequence}:{'reserve' if booked else 'annule'}",
        "message": f"{dossier.candidate} {what} du {when} (dossier {dossier.number})",
        "url": reverse("candidates:slots"),
        "dossier_id": dossier.pk,
    }


def accompagnement_requested(*, convention):
    convention = (
        ConventionAccompagnement.objects.select_related("dossier__candidate", "dossier__certification")
        .filter(pk=convention)
        .first()
    )
    if convention is None:
        return None
    dossier = convention.dossier
    return {
        "recipient_ids": centre_ids(convention.organisme_id),
        "key": f"convention:{convention.pk}",
        "message": f"Accompagnement VAE demandé par {_who(dossier)} : modalités à proposer",
        "url": reverse("vae:accompagnement", kwargs={"number": dossier.number}),
        "dossier_id": dossier.pk,
    }


def _session_label(session) -> str:
    return f"session du {date_fr(session.date)}" + (f" ({session.location_label})" if session.location_label else "")


def jury_appointed(*, member):
    member = SessionMember.objects.select_related("session").filter(pk=member).first()
    if member is None:
        return None
    session = member.session
    return {
        "recipient_ids": [member.user_id],
        "key": f"member:{member.pk}",
        "message": f"Vous siégez au jury de la {_session_label(session)}",
        "url": session.get_absolute_url(),
        "session_id": session.pk,
    }


def session_dossiers_ready(*, session):
    session = JurySession.objects.filter(pk=session).first()
    if session is None:
        return None
    return {
        "recipient_ids": list(session.members.values_list("user_id", flat=True)),
        "key": f"session_ready:{session.pk}",
        "message": f"Les candidats de la {_session_label(session)} sont convoqués : leurs dossiers sont à lire",
        "url": session.get_absolute_url(),
        "session_id": session.pk,
    }


def fiche_to_sign(*, fiche):
    fiche = (
        FicheDecision.objects.select_related("session_candidate__session", "session_candidate__dossier__candidate")
        .filter(pk=fiche)
        .first()
    )
    if fiche is None:
        return None
    seat = fiche.session_candidate
    session = seat.session
    conflicted = seat.conflicted_user_ids()
    if session.president_id and session.president_id not in conflicted:
        signatories = [session.president_id]
    else:  # the president in conflict (or none yet): a member without conflict signs for them
        signatories = [pk for pk in session.members.values_list("user_id", flat=True) if pk not in conflicted]
    return {
        "recipient_ids": signatories,
        "key": f"fiche:{fiche.pk}",
        "message": f"Fiche de décision de {seat.dossier.candidate} à signer ({_session_label(session)})",
        "url": seat.get_absolute_url(),
        "dossier_id": seat.dossier_id,
        "session_id": session.pk,
    }


def _piece(pk):
    return Piece.objects.select_related("dossier__candidate", "dossier__certification").filter(pk=pk).first()


def piece_to_replace(*, piece):
    piece = _piece(piece)
    if piece is None:
        return None
    dossier = piece.dossier
    return {
        "recipient_ids": [dossier.candidate_id],
        "key": f"piece_to_replace:{piece.pk}:{piece.verdict_at:%Y%m%d%H%M%S}",
        "message": f"Pièce « {piece.original_name} » à remplacer : {piece.verdict_reason}",
        "url": reverse("vae:livret1", kwargs={"number": dossier.number}) + "#pieces",
        "dossier_id": dossier.pk,
    }


def piece_replaced(*, piece):
    piece = _piece(piece)
    if piece is None:
        return None
    dossier = piece.dossier
    return {
        "recipient_ids": staff_ids(dossier.certification.certifier_id),
        "key": f"piece_replaced:{piece.pk}:{piece.replaced_count}",
        "message": f"Pièce remplacée par {_who(dossier)} : « {piece.original_name} » à examiner",
        "url": reverse("vae:livret1_decide", kwargs={"number": dossier.number}),
        "dossier_id": dossier.pk,
    }


def commission_scheduled(*, session_candidate):
    """The candidate of a dossier placed in a commission paritaire: the date, and that they do not attend."""
    seat = SessionCandidate.objects.select_related("session", "dossier").filter(pk=session_candidate).first()
    if seat is None or not seat.session.is_commission:
        return None
    dossier, session = seat.dossier, seat.session
    return {
        "recipient_ids": [dossier.candidate_id],
        "key": f"commission:{seat.pk}:{session.date:%Y%m%d}",
        "message": f"Votre dossier sera examiné par la commission paritaire du {date_fr(session.date)}. Vous n'êtes "
        "pas convoqué : la commission décide sur dossier des unités visées, et vous recevrez sa décision.",
        "url": dossier.get_absolute_url() + "#unites-visees",
        "dossier_id": dossier.pk,
    }


def jury_member_removed(*, member, session, user):
    """A member taken off a session's jury (the seat is gone: its former id names the event)."""
    session = JurySession.objects.filter(pk=session).first()
    if session is None:
        return None
    return {
        "recipient_ids": [user],
        "key": f"member_removed:{member}",
        "message": f"Vous ne siégez plus au jury de la {_session_label(session)} : l'OEMM vous a retiré de sa "
        "composition. Les dossiers de ses candidats ne vous sont plus ouverts.",
        "url": reverse("home"),
        "session_id": session.pk,
    }


def jury_session_moved(*, session, change):
    """The members of a session whose date, time or place changed: where and when it sits after that change (the
    session's audit row ``change``: each change told once, even back to an earlier date)."""
    event = SessionEvent.objects.filter(pk=change, session_id=session).first()
    if event is None:
        return None
    after = event.data["apres"]
    day, time = datetime.date.fromisoformat(after["date"]), after["start_time"][:5]
    return {
        "recipient_ids": list(SessionMember.objects.filter(session_id=session).values_list("user_id", flat=True)),
        "key": f"session_moved:{event.pk}",
        "message": f"La session de jury où vous siégez est modifiée : elle se tient le {date_fr(day)} à {time}"
        + (f", {after['lieu']}" if after["lieu"] else ""),
        "url": reverse("jury:session", kwargs={"pk": session}),
        "session_id": session,
    }


def session_place_withdrawn(*, seat, session, dossier, convoked):
    """The candidate of a dossier taken out of a session they had been told of (convoked, or told the commission's
    date); one never told of it is not told either."""
    session = JurySession.objects.filter(pk=session).first()
    dossier = Dossier.objects.filter(pk=dossier).first()
    if session is None or dossier is None or not (convoked or session.is_commission):
        return None
    if session.is_commission:
        message = (
            f"Votre dossier ne sera pas examiné par la commission paritaire du {date_fr(session.date)} : l'OEMM "
            "l'a retiré de cette séance et vous indiquera la prochaine date."
        )
    else:
        message = (
            f"Votre convocation au jury du {date_fr(session.date)} est annulée : ne vous présentez pas. L'OEMM vous "
            "proposera une autre session."
        )
    return {
        "recipient_ids": [dossier.candidate_id],
        "key": f"seat_withdrawn:{seat}",
        "message": message,
        "url": dossier.get_absolute_url(),
        "dossier_id": dossier.pk,
        "session_id": session.pk,
    }


BUILDERS = {
    NotificationKind.LIVRET1_RECEIVED: livret1_received,
    NotificationKind.LIVRET2_RECEIVED: livret2_received,
    NotificationKind.LIVRET_EVALUATION_RECEIVED: livret_evaluation_received,
    NotificationKind.CENTRE_CHOSEN: centre_chosen,
    NotificationKind.ENTRETIEN_BOOKED: entretien_booked,
    NotificationKind.ACCOMPAGNEMENT_REQUESTED: accompagnement_requested,
    NotificationKind.JURY_APPOINTED: jury_appointed,
    NotificationKind.SESSION_DOSSIERS_READY: session_dossiers_ready,
    NotificationKind.FICHE_TO_SIGN: fiche_to_sign,
    NotificationKind.PIECE_TO_REPLACE: piece_to_replace,
    NotificationKind.PIECE_REPLACED: piece_replaced,
    NotificationKind.COMMISSION_SCHEDULED: commission_scheduled,
    NotificationKind.JURY_MEMBER_REMOVED: jury_member_removed,
    NotificationKind.JURY_SESSION_MOVED: jury_session_moved,
    NotificationKind.SESSION_PLACE_WITHDRAWN: session_place_withdrawn,
}


def handle(kind, *, actor_id=None, **ids):
    """The staff-event handler registered by NotificationsConfig.ready()."""
    builder = BUILDERS.get(kind)
    if builder is None:
        return []
    event = builder(**ids)
    if event is None:
        return []
    event["recipient_ids"] = [pk for pk in event["recipient_ids"] if pk != actor_id]
    return notify(kind, **event)
