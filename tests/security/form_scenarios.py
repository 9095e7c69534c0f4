"""One scenario per form page for the form property tests (tests/security/test_forms_property.py): the form
classes posted and, from a ``World``, the user, the page and the action."""

from django.core.cache import caches
from django.urls import reverse

from candidates import forms as candidate_forms
from candidates.entretien_forms import ConfirmForm, EntretienForm, ModuleForm, PeriodForm
from candidates.formation_forms import (
    CandidatePartForm,
    DesignationForm,
    EvaluationFormativeForm,
    IntermediateEvaluationForm,
    LivretSuiviForm,
    SuiviModuleForm,
    SynthesisForm,
    TutorReviewForm,
    UnitAssessmentForm,
)
from candidates.formation_forms import InviteForm as FormationInviteForm
from candidates.slot_forms import CancelForm as SlotCancelForm
from candidates.slot_forms import ConfirmBookingForm, MoveForm, PublishForm
from cqp import forms as cqp_forms
from cqp.forms import OutboxPasswordResetForm
from jury.forms import (
    AddCandidateForm,
    AddMemberForm,
    AttendanceForm,
    ConflictForm,
    CorrectionForm,
    DeliberationForm,
    OpenSessionForm,
    SessionForm,
    TargetsForm,
)
from jury.views.public import SealedDocumentForm, VerificationCodeForm
from messagerie.forms import MessageForm
from notifications import forms as notification_forms
from pilotage import personal_data_views
from pilotage.cockpit import views as cockpit_views
from vae.forms import (
    DecisionForm,
    ExperienceForm,
    Livret1Form,
    PieceForm,
    PieceVerdictForm,
    ReplacePieceForm,
    SubmitForm,
)
from vae.livret2_forms import (
    AcknowledgeForm,
    CommentForm,
    ConventionRequestForm,
    ConventionTermsForm,
    Livret2Form,
    Livret2PieceForm,
    Livret2SubmitForm,
)

from ..jury.conftest import at, member, planned_session
from ..vae.conftest import complete
from .fuzz import (
    Scenario,
)


def ctx(user, page, action=None):
    return {"user": user, "page": page, "action": action or page}


def _fresh_throttle(context):
    context["prepare"] = lambda client: caches["throttle"].clear()
    return context


def u(name, *args, **kwargs):
    return reverse(name, args=args, kwargs=kwargs or None)


def _livret1_version(world):
    world.livret1.refresh_from_db()
    return {"version": str(world.livret1.version)}


def _livret2_version(world):
    world.livret2.refresh_from_db()
    return {"version": str(world.livret2.version)}


def _entretien_page(w):
    w.entretien_dossier  # noqa: B018
    return ctx(w.organisme_staff, u("candidates:entretien_edit", number=w.entretien_dossier.number))


def _formation(name, who, **kwargs):
    def build(w):
        dossier = w.designated
        if "unit_id" in kwargs:
            kwargs["unit_id"] = w.formation_unit.pk
        return ctx(getattr(w, who), u(f"candidates:{name}", number=dossier.number, **kwargs))

    return build


def _session_page(w, action_name, **kwargs):
    session = w.planned_session
    return ctx(w.oemm, u("jury:session", pk=session.pk), u(action_name, pk=session.pk, **kwargs))


def _empty_session_page(w):
    """A session with one member: the form to add another is shown."""
    with at(2026, 9, 1):
        session = planned_session(by=w.oemm, codes=["cos"], members={"emp1": w.members["emp1"]})
    member(w.College.SALARIE, "FO")
    return ctx(w.oemm, u("jury:session", pk=session.pk), u("jury:member_add", pk=session.pk))


def _targets_page(w):
    """A GPAC dossier just registered (partial paths allowed): its target units, chosen by the OEMM."""
    from cqp.enums import Role
    from tests.factories import user_with_role
    from tests.vae.conftest import make_dossier

    dossier = make_dossier(user_with_role(Role.CANDIDAT), "gpac")
    return ctx(w.oemm, u("jury:choose_targets", number=dossier.number))


def _queue_page(w, key):
    """A queue of the cockpit holding one item, so that its bulk form shows."""
    from django.utils import timezone

    from candidates import workflow as dossier_workflow
    from cqp.enums import Role
    from referentiels.models import Certification
    from tests.factories import user_with_role
    from tests.jury.conftest import ready_dossier
    from vae import workflow as vae_workflow
    from vae.models import Livret2

    if key == "dossiers-a-placer":
        ready_dossier("gpac", by=w.oemm)
    else:
        candidate = user_with_role(Role.CANDIDAT)
        dossier = dossier_workflow.register_vae(
            candidate=candidate, certification=Certification.objects.get(code="gpac")
        )
        dossier_workflow.declare_recevable(dossier, by=w.oemm)
        livret = vae_workflow.start_livret2(dossier, by=candidate)
        Livret2.objects.filter(pk=livret.pk).update(state="soumis", submitted_at=timezone.now())
    return ctx(w.oemm, u("oemm_queue", key=key), u("oemm_queue_bulk", key=key))


SCENARIOS = {
    # accounts and organisations
    "login": Scenario((cqp_forms.LoginForm,), lambda w: ctx(None, u("login"))),
    "signup": Scenario((cqp_forms.SignupForm,), lambda w: ctx(None, u("signup"))),
    "invite": Scenario((cqp_forms.InviteForm,), lambda w: ctx(w.oemm, u("oemm_account_invite"))),
    "organisme": Scenario(
        (cqp_forms.OrganismeForm,), lambda w: ctx(w.oemm, u("oemm_organisme_edit", pk=w.organisme.pk))
    ),
    "entreprise": Scenario(
        (cqp_forms.EntrepriseForm,), lambda w: ctx(w.oemm, u("oemm_entreprise_edit", pk=w.entreprise.pk))
    ),
    "email_change": Scenario((cqp_forms.EmailChangeForm,), lambda w: ctx(w.candidat, u("email_change"))),
    "notification_preference": Scenario(
        (notification_forms.PreferenceForm,), lambda w: ctx(w.oemm, u("notifications:preferences"))
    ),
    "otp_enable": Scenario(
        (cqp_forms.OtpCodeForm,),
        lambda w: {**ctx(w.oemm, u("two_factor_enable")), "prepare": lambda client: client.post(u("two_factor_start"))},
    ),
    # personal data
    "deletion_request": Scenario(
        (personal_data_views.DeletionRequestForm,), lambda w: ctx(w.candidat, u("my_data"), u("my_deletion_request"))
    ),
    "deletion_treat": Scenario(
        (personal_data_views.TreatForm,),
        lambda w: ctx(
            w.oemm,
            u("oemm_deletion_request", pk=w.deletion_request.pk),
            u("oemm_deletion_request_accept", pk=w.deletion_request.pk),
        ),
    ),
    "deletion_refuse": Scenario(
        (personal_data_views.RefuseForm,),
        lambda w: ctx(
            w.oemm,
            u("oemm_deletion_request", pk=w.deletion_request.pk),
            u("oemm_deletion_request_refuse", pk=w.deletion_request.pk),
        ),
    ),
    # dossiers
    "inscription_vae": Scenario(
        (candidate_forms.VaeInscriptionForm,), lambda w: ctx(w.candidat, u("candidates:inscription_vae"))
    ),
    "inscription_salarie": Scenario(
        (candidate_forms.EmployeeInscriptionForm,), lambda w: ctx(w.rh, u("candidates:inscription_salarie"))
    ),
    "close": Scenario(
        (candidate_forms.CloseDossierForm,), lambda w: ctx(w.oemm, u("candidates:close", number=w.vae_dossier.number))
    ),
    "extend": Scenario(
        (candidate_forms.ExtendFirstJuryForm,),
        lambda w: ctx(w.oemm, u("candidates:extend", number=w.vae_dossier.number)),
    ),
    # entretien d'accueil
    "entretien": Scenario((EntretienForm, ModuleForm, PeriodForm), _entretien_page, htmx=True),
    "entretien_validate": Scenario(
        (ConfirmForm,),
        lambda w: (
            w.filled_entretien,
            ctx(w.organisme_staff, u("candidates:entretien_validate", number=w.entretien_dossier.number)),
        )[1],
    ),
    # créneaux d'entretien (issue 21)
    "slots_publish": Scenario((PublishForm,), lambda w: ctx(w.organisme_staff, u("candidates:slots"))),
    "slot_move": Scenario(
        (MoveForm,), lambda w: ctx(w.organisme_staff, u("candidates:slot_move", pk=w.entretien_slot(1).pk))
    ),
    "slot_cancel": Scenario(
        (SlotCancelForm,), lambda w: ctx(w.organisme_staff, u("candidates:slot_cancel", pk=w.entretien_slot(2).pk))
    ),
    "slot_book": Scenario(
        (ConfirmBookingForm,),
        lambda w: ctx(w.candidat, u("candidates:slot_book", number=w.vae_dossier.number, pk=w.entretien_slot(3).pk)),
    ),
    # voie formative
    "designations": Scenario((DesignationForm, FormationInviteForm), _formation("formation_designations", "rh")),
    "suivi": Scenario(
        (LivretSuiviForm, SuiviModuleForm), _formation("formation_suivi_edit", "organisme_staff"), htmx=True
    ),
    "formative": Scenario(
        (EvaluationFormativeForm,), _formation("formation_formative", "organisme_staff", unit_id=0), htmx=True
    ),
    "intermediate": Scenario(
        (IntermediateEvaluationForm,), _formation("formation_intermediate_new", "tutor", unit_id=0)
    ),
    "review": Scenario((TutorReviewForm,), _formation("formation_review_new", "tutor")),
    "candidate_part": Scenario((CandidatePartForm,), _formation("formation_candidate", "candidat"), htmx=True),
    "assessment": Scenario(
        (UnitAssessmentForm,), _formation("formation_assessment", "manager", unit_id=0, slot=1), htmx=True
    ),
    "synthesis": Scenario((SynthesisForm,), _formation("formation_synthesis", "manager"), htmx=True),
    # livret 1
    "livret1": Scenario(
        (Livret1Form, ExperienceForm),
        lambda w: ctx(
            w.candidat,
            u("vae:livret1", number=w.livret1.dossier.number),
            u("vae:livret1_save", number=w.livret1.dossier.number),
        ),
        autosave=True,
        htmx=True,
        fixed=_livret1_version,
    ),
    "piece": Scenario(
        (PieceForm,),
        lambda w: ctx(
            w.candidat,
            u("vae:livret1", number=w.livret1.dossier.number),
            u("vae:piece_upload", number=w.livret1.dossier.number),
        ),
        htmx=True,
        files=("file",),
    ),
    "livret1_submit": Scenario(
        (SubmitForm,),
        lambda w: ctx(w.candidat, u("vae:livret1_submit", number=complete(w.livret1, w.candidat).dossier.number)),
    ),
    "decision": Scenario(
        (DecisionForm,), lambda w: ctx(w.oemm, u("vae:livret1_decide", number=w.submitted_livret1.dossier.number))
    ),
    "piece_verdict": Scenario(
        (PieceVerdictForm,),
        lambda w: ctx(
            w.oemm,
            u("vae:livret1_decide", number=w.submitted_livret1.dossier.number),
            u("vae:piece_verdict", number=w.submitted_livret1.dossier.number, pk=w.submitted_livret1.pieces.first().pk),
        ),
    ),
    "piece_replace": Scenario(
        (ReplacePieceForm,),
        lambda w: ctx(
            w.candidat,
            u("vae:livret1", number=w.piece_to_replace.dossier.number),
            u("vae:piece_replace", number=w.piece_to_replace.dossier.number, pk=w.piece_to_replace.pk),
        ),
        files=("file",),
    ),
    # livret 2 and accompagnement
    "livret2": Scenario(
        (Livret2Form,),
        lambda w: ctx(
            w.candidat,
            u("vae:livret2", number=w.livret2.dossier.number),
            u("vae:livret2_save", number=w.livret2.dossier.number),
        ),
        autosave=True,
        htmx=True,
        fixed=_livret2_version,
    ),
    "livret2_piece": Scenario(
        (Livret2PieceForm,),
        lambda w: ctx(
            w.candidat,
            u("vae:livret2", number=w.livret2.dossier.number),
            u("vae:livret2_piece_upload", number=w.livret2.dossier.number),
        ),
        htmx=True,
        files=("file",),
    ),
    "livret2_submit": Scenario(
        (Livret2SubmitForm,),
        lambda w: ctx(
            w.candidat,
            u(
                "vae:livret2_submit",
                number=(
                    __import__("tests.vae.livret2_support", fromlist=["fill"]).fill(w.livret2, w.candidat)
                ).dossier.number,
            ),
        ),
    ),
    "acknowledge": Scenario(
        (AcknowledgeForm,),
        lambda w: ctx(w.oemm, u("vae:livret2_acknowledge", number=w.submitted_livret2.dossier.number)),
    ),
    "convention_request": Scenario(
        (ConventionRequestForm,),
        lambda w: (
            w.centre_staff,
            ctx(
                w.candidat,
                u("vae:accompagnement", number=w.recevable_dossier.number),
                u("vae:accompagnement_request", number=w.recevable_dossier.number),
            ),
        )[1],
    ),
    "convention_terms": Scenario(
        (ConventionTermsForm,),
        lambda w: (
            w.proposed_convention,
            ctx(
                w.centre_staff,
                u("vae:accompagnement", number=w.recevable_dossier.number),
                u("vae:accompagnement_terms", number=w.recevable_dossier.number),
            ),
        )[1],
    ),
    "comment": Scenario(
        (CommentForm,),
        lambda w: (
            w.accepted_convention,
            ctx(
                w.centre_staff,
                u("vae:accompagnement", number=w.recevable_dossier.number),
                u("vae:accompagnement_comment", number=w.recevable_dossier.number),
            ),
        )[1],
    ),
    "message": Scenario(
        (MessageForm,),
        lambda w: ctx(w.candidat, u("messagerie:thread", number=w.recevable_dossier.number)),
    ),
    # jury
    "session_create": Scenario((SessionForm,), lambda w: ctx(w.oemm, u("jury:create"))),
    "session_edit": Scenario((SessionForm,), lambda w: ctx(w.oemm, u("jury:edit", pk=w.planned_session.pk))),
    "member_add": Scenario((AddMemberForm,), lambda w: _empty_session_page(w)),
    "candidate_add": Scenario(
        (AddCandidateForm,), lambda w: (w.ready_dossier, _session_page(w, "jury:candidate_add"))[1]
    ),
    "attendance": Scenario(
        (AttendanceForm,), lambda w: _session_page(w, "jury:attendance", cid=w.planned_session.candidates.get().pk)
    ),
    "session_open": Scenario((OpenSessionForm,), lambda w: _session_page(w, "jury:open")),
    "conflict": Scenario(
        (ConflictForm,),
        lambda w: ctx(
            w.members["sal1"],
            u("jury:candidate", pk=w.open_session.pk, cid=w.session_candidate.pk),
            u("jury:conflict", pk=w.open_session.pk, cid=w.session_candidate.pk),
        ),
    ),
    "deliberate": Scenario(
        (DeliberationForm,),
        lambda w: ctx(
            w.members["emp2"],
            u("jury:candidate", pk=w.open_session.pk, cid=w.session_candidate.pk),
            u("jury:deliberate", pk=w.open_session.pk, cid=w.session_candidate.pk),
        ),
    ),
    "targets": Scenario((TargetsForm,), _targets_page),
    "fiche_correct": Scenario((CorrectionForm,), lambda w: ctx(w.oemm, u("jury:fiche_correct", pk=w.signed_fiche.pk))),
    # the cockpit's bulk actions (a queue page, its bulk form)
    "queue_place": Scenario((cockpit_views.PlaceForm,), lambda w: _queue_page(w, "dossiers-a-placer")),
    "queue_acknowledge": Scenario((cockpit_views.ReceivedOnForm,), lambda w: _queue_page(w, "livrets2-recus")),
    # the password reset (written to the outbox) and the public check of a sealed PDF
    "password_reset": Scenario((OutboxPasswordResetForm,), lambda w: ctx(None, u("password_reset"))),
    # the public check: a PDF, or a certificate's code (both forms post to the page, counted per IP: the count starts
    # afresh for each scenario); an unknown well-formed code answers the site's own 404 page
    "verify_document": Scenario(
        (SealedDocumentForm, VerificationCodeForm),
        lambda w: _fresh_throttle(ctx(None, u("verification:verify_document"))),
        files=("document",),
        ok_status=(200, 302, 404),
    ),
}
