"""Reads of the VAE (livrets, pieces, conventions, approved centres), scoped to the person asking (outsiders get a
404)."""

import rules
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from candidates.models import Dossier
from candidates.selectors import dossiers_for
from cqp.models import OrganismeFormation

from . import livret2_rules
from .enums import PieceSection
from .livret2_structure import unit_spec, units_of
from .models import ConventionAccompagnement, Livret1, Livret2, Piece
from .page_cache import OPEN_CONVENTIONS, prefetched


def accessible_dossiers(user):
    """Dossiers a person may reach in the vae pages: those they see (candidates.selectors), plus those of their
    centre's open convention d'accompagnement, plus those placed in a jury session they sit in."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    extra = Q(pk__in=ConventionAccompagnement.objects.open().of_organisme_member(user).values("dossier_id"))
    extra |= Q(pk__in=Dossier.objects.filter(jury_passages__session__members__user=user).values("pk"))
    return dossiers_for(user) | Dossier.objects.filter(extra).select_related(
        "candidate", "certification", "version", "mention", "entreprise", "organisme"
    )


def get_vae_dossier_for(user, number, perm) -> Dossier:
    """The dossier if the person may reach it and has ``perm`` on it, else 404 (outsiders never see it)."""
    dossier = get_object_or_404(accessible_dossiers(user).distinct(), number=number)
    if not rules.has_perm(perm, user, dossier):
        raise Http404("Page introuvable.")
    return dossier


def get_dossier_with_livret_access(user, number):
    """The VAE dossier if the person may see its livret 1 (candidate, OEMM, organisme, accompagnateur), else 404."""
    return get_vae_dossier_for(user, number, "vae.view_livret1")


def get_livret2_for(user, number) -> Livret2:
    """The livret 2 if the person may read it (candidate, OEMM, accompagnateur, members of the session), else 404."""
    dossier = get_object_or_404(accessible_dossiers(user).distinct(), number=number)
    livret = Livret2.objects.select_related("referentiel", "received_by").filter(dossier=dossier).first()
    if livret is None or not rules.has_perm("vae.view_livret2", user, livret):
        raise Http404("Livret 2 introuvable.")
    livret.dossier = dossier
    return livret


def open_convention(dossier) -> ConventionAccompagnement | None:
    cached = prefetched(dossier, OPEN_CONVENTIONS)
    if cached is not None:  # read by the page already (next actions)
        convention = cached[0] if cached else None
    else:
        convention = (
            ConventionAccompagnement.objects.open()
            .select_related("organisme", "organisme_accepted_by")
            .filter(dossier=dossier)
            .first()
        )
    if convention is not None:
        convention.dossier = dossier
    return convention


def conventions_of_centre(user):
    """The conventions of the centres the person is a member of, the newest first."""
    return (
        ConventionAccompagnement.objects.of_organisme_member(user)
        .select_related("dossier__candidate", "dossier__certification", "dossier__mention", "organisme")
        .order_by("-created_at")
        .distinct()
    )


def livrets_of(dossier):
    return Livret1.objects.filter(dossier=dossier).select_related("referentiel", "decided_by", "dossier")


def active_livret(dossier) -> Livret1 | None:
    livret = livrets_of(dossier).filter(is_active=True).first()
    if livret is not None:
        livret.dossier = dossier
    return livret


def get_livret_for(user, number, pk=None) -> Livret1:
    dossier = get_dossier_with_livret_access(user, number)
    if pk is None:
        livret = active_livret(dossier)
        if livret is None:
            raise Http404("Le livret 1 n'est pas commencé.")
        return livret
    livret = get_object_or_404(livrets_of(dossier), pk=pk)
    livret.dossier = dossier
    return livret


def get_livret_to_print(user, number, pk) -> Livret1:
    """A livret 1 of the dossier for its printed copy: the readers of the livret 1 and the jury of the candidate's
    session, else 404."""
    dossier = get_vae_dossier_for(user, number, "vae.print_livret1")
    livret = get_object_or_404(livrets_of(dossier), pk=pk)
    livret.dossier = dossier
    return livret


def get_piece_for(user, number, pk) -> Piece:
    """A piece of livret 1 (readers of the livret 1) or of livret 2 (readers of the livret 2), else 404."""
    dossier = get_object_or_404(accessible_dossiers(user).distinct(), number=number)
    piece = get_object_or_404(Piece.objects.select_related("livret1", "livret2", "uploaded_by"), dossier=dossier, pk=pk)
    perm = "vae.view_livret2" if piece.section == PieceSection.LIVRET2 else "vae.view_livret1"
    if not rules.has_perm(perm, user, piece.livret2 if piece.livret2_id else dossier):
        raise Http404("Pièce introuvable.")
    piece.dossier = dossier
    if piece.livret1 is not None:
        piece.livret1.dossier = dossier
    return piece


def queue(certification_code="", user=None):
    """Submitted livrets 1 awaiting a decision, the closest deadline first (those of the user's certifier)."""
    livrets = (
        Livret1.objects.awaiting_decision()
        .filter(is_active=True)
        .select_related("dossier__candidate", "dossier__certification", "dossier__mention", "referentiel")
        .order_by("instruction_deadline", "received_on")
    )
    if certification_code:
        livrets = livrets.filter(dossier__certification__code=certification_code)
    scope = user.staff_certifier_ids() if user is not None else None
    if scope is not None:
        livrets = livrets.filter(dossier__certification__certifier_id__in=scope)
    return livrets


def _paired(questions, answers) -> list[tuple[str, str]]:
    """Each question asked once for the bloc with the candidate's answer (empty when not yet written)."""
    answers = list(answers or [])
    return [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions or [])]


def livret2_blocks(livret) -> list[dict]:
    """Each unit of the livret 2 with its instructions, questions, compétences and situations (answers, pieces)."""
    dossier = livret.dossier
    situations = {}
    for situation in livret.situations.select_related("unit").prefetch_related("competences", "pieces"):
        situations.setdefault(situation.unit_id, []).append(situation)
    blocks = []
    bloc_answers = livret.bloc_answers or {}
    for unit in units_of(livret.referentiel, dossier.mention_id):
        spec = unit_spec(dossier, unit)
        questions = list(unit.livret2_questions.all())
        competences = list(unit.competences.all())
        entries = []
        for situation in situations.get(unit.pk, []):
            answers = list(situation.answers or [])
            ticked = {c.pk for c in situation.competences.all()}
            if spec.situations == 0:
                heading = "Votre réponse"
            elif spec.situations == 1:
                heading = "Situation"
            else:
                heading = f"Situation n° {situation.position}"
            entries.append(
                {
                    "object": situation,
                    "heading": heading,
                    "answers": [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions)],
                    "ticked": [c for c in competences if c.pk in ticked],
                    "pieces": list(situation.pieces.all()),
                }
            )
        blocks.append(
            {
                "unit": unit,
                "spec": spec,
                "key": spec.key,
                "label": spec.label,
                "questions": questions,
                "bloc_answers": _paired(unit.livret2_bloc_questions, bloc_answers.get(str(unit.number))),
                "competences": competences,
                "situations": entries,
                "free": livret2_rules.uses_free_answer(spec),
            }
        )
    return blocks


def approved_centres(certification, day=None):
    """Training centres approved for this CQP with an agrément valid on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return (
        OrganismeFormation.objects.filter(certifications=certification)
        .filter(Q(agrement_from__isnull=True) | Q(agrement_from__lte=day))
        .filter(Q(agrement_to__isnull=True) | Q(agrement_to__gte=day))
        .order_by("name")
        .distinct()
    )


def missing_terms(convention) -> list[str]:
    """What the centre must still write in the convention before it may be accepted (French)."""
    return livret2_rules.convention_missing_terms(
        nature=convention.nature,
        sessions_count=convention.sessions_count,
        session_hours=convention.session_hours,
        start_on=convention.start_on,
        end_on=convention.end_on,
        planned_dates=convention.planned_dates,
    )
