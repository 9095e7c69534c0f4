"""Property-based tests of every form of the project, posted through its view (hypothesis).

For each form: a user allowed to use it, the objects in the right state, random data (unicode, right-to-left, emoji,
NUL and control characters, 100 000-character values, impossible dates, huge or negative numbers) read from the
rendered form. The answer is never a server error; it is a redirect (saved, or refused with a message) or a page with a
French error message; a refused form saves nothing (every row of our tables compared before and after).
Deterministic: ``derandomize=True``. ``test_every_form_class_is_fuzzed`` makes a new form class fail until it is added.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from functools import cached_property
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from candidates import entretien as entretien_service
from candidates import forms as candidate_forms
from candidates import formation as formation_service
from candidates import workflow as dossier_workflow
from candidates.entretien_forms import ConfirmForm, EntretienForm, ModuleForm, PeriodForm
from candidates.formation_forms import (
    CandidatePartForm, DesignationForm, EvaluationFormativeForm, IntermediateEvaluationForm, LivretSuiviForm, SuiviModuleForm,
    SynthesisForm, TutorReviewForm, UnitAssessmentForm,
)
from candidates.formation_forms import InviteForm as FormationInviteForm
from cqp import forms as cqp_forms
from cqp import personal_data_views
from cqp.enums import EntrepriseFunction, Role
from jury import workflow as jury_workflow
from jury.forms import (
    AddCandidateForm, AddMemberForm, AttendanceForm, ConflictForm, CorrectionForm, DeliberationForm, OpenSessionForm, SessionForm,
)
from referentiels.models import Certification
from vae import accompagnement, livret2, workflow as vae_workflow
from vae.forms import DecisionForm, ExperienceForm, Livret1Form, PieceForm, SubmitForm
from vae.livret2_forms import (
    AcknowledgeForm, CommentForm, ConventionRequestForm, ConventionTermsForm, Livret2Form, Livret2PieceForm, Livret2SubmitForm,
)

from ..candidates.test_entretien_workflow import entretien_data
from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role
from ..jury.conftest import all_units, at, member, planned_session, ready_dossier
from ..vae.conftest import PDF, complete, make_dossier
from ..vae.test_livret2_support import accept_convention, approved_centre, register
from .fuzz import (
    FRENCH_ERROR, HTML_ERROR_MARKERS, NASTY, Scenario, diff, messages_of, page_text, post_data, read_fields, snapshot,
)

PARIS = ZoneInfo("Europe/Paris")
MAX_EXAMPLES = 12
OUR_FORM_MODULES = ("cqp", "referentiels", "candidates", "vae", "jury")


# ------------------------------------------------------------------------------------------ the world

class World:
    """Objects built on demand, each in the state its form needs."""

    def __init__(self):
        from cqp.enums import College

        self.College = College

    # people
    @cached_property
    def oemm(self):
        return user_with_role(Role.OEMM)

    @cached_property
    def candidat(self):
        return user_with_role(Role.CANDIDAT)

    @cached_property
    def organisme(self):
        organisme = OrganismeFactory(agrement_from=dt.date(2020, 1, 1), agrement_to=dt.date(2099, 12, 31))
        organisme.certifications.add(*Certification.objects.all())
        return organisme

    @cached_property
    def organisme_staff(self):
        return user_with_role(Role.ORGANISME, organisme=self.organisme)

    @cached_property
    def entreprise(self):
        return EntrepriseFactory()

    def colleague(self, function):
        return user_with_role(Role.ENTREPRISE, entreprise=self.entreprise, entreprise_function=function)

    @cached_property
    def rh(self):
        return self.colleague(EntrepriseFunction.RH)

    @cached_property
    def tutor(self):
        return self.colleague(EntrepriseFunction.TUTEUR)

    @cached_property
    def manager(self):
        return self.colleague(EntrepriseFunction.MANAGER)

    @cached_property
    def evaluator2(self):
        return self.colleague(EntrepriseFunction.EVALUATEUR)

    @cached_property
    def members(self):
        C = self.College
        return {"emp1": member(C.EMPLOYEUR, "UGEM"), "emp2": member(C.EMPLOYEUR, "UGEM"),
                "sal1": member(C.SALARIE, "CFDT"), "sal2": member(C.SALARIE, "CGT")}

    @cached_property
    def deletion_request(self):
        from cqp.personal_data import request_deletion

        return request_deletion(self.candidat, reason="Je ne poursuis pas ma démarche.")

    # VAE
    @cached_property
    def vae_dossier(self):
        return make_dossier(self.candidat, "cos", self.organisme)

    @cached_property
    def livret1(self):
        return vae_workflow.start_livret1(self.vae_dossier, by=self.candidat)

    @cached_property
    def submitted_livret1(self):
        livret = complete(self.livret1, self.candidat)
        return vae_workflow.submit_livret1(livret, by=self.candidat)

    @cached_property
    def recevable_dossier(self):
        dossier = register(self.candidat)
        livret = complete(vae_workflow.start_livret1(dossier, by=self.candidat), self.candidat)
        vae_workflow.submit_livret1(livret, by=self.candidat)
        vae_workflow.declare_recevable(livret, by=self.oemm)
        dossier.refresh_from_db()
        return dossier

    @cached_property
    def livret2(self):
        return livret2.start_livret2(self.recevable_dossier, by=self.candidat)

    @cached_property
    def submitted_livret2(self):
        from ..vae.test_livret2_support import fill

        livret = fill(self.livret2, self.candidat)
        return livret2.submit_livret2(livret, by=self.candidat)

    @cached_property
    def centre_staff(self):
        return user_with_role(Role.ORGANISME, organisme=approved_centre())

    @cached_property
    def proposed_convention(self):
        return accompagnement.request_accompagnement(self.recevable_dossier, by=self.candidat,
                                                     organisme=self.centre_staff.roles.get().organisme)

    @cached_property
    def accepted_convention(self):
        return accept_convention(self.recevable_dossier, self.candidat, self.centre_staff)

    # entretien d'accueil (VAE dossier conducted by its organisme)
    @cached_property
    def entretien_dossier(self):
        return make_dossier(self.candidat, "cos", self.organisme)

    @cached_property
    def filled_entretien(self):
        dossier = self.entretien_dossier
        form = EntretienForm(entretien_data(dossier, orientation="vae"), sheet=entretien_service.build_sheet(dossier),
                             user=self.organisme_staff)
        assert form.is_valid(), form.error_lines()
        return entretien_service.save_entretien(dossier, by=self.organisme_staff, data=form.get_data())

    # voie formative
    @cached_property
    def formation_dossier(self):
        from ..candidates.test_formation_workflow import orient

        certification = Certification.objects.get(code="spsp")
        dossier = dossier_workflow.register_employee(
            by=self.rh, entreprise=self.entreprise, email=self.candidat.email, first_name="Claire", last_name="Martin",
            certification=certification, organisme=self.organisme, mention=certification.current_version.mentions.first(),
        )
        return orient(dossier, self.organisme_staff)

    @cached_property
    def designated(self):
        dossier = self.formation_dossier
        formation_service.designate(dossier, by=self.rh, tutor=self.tutor, evaluator1=self.manager, evaluator1_function="Responsable",
                                    evaluator2=self.evaluator2, evaluator2_function="Formatrice")
        return dossier

    @cached_property
    def formation_unit(self):
        return list(formation_service.formation_units(self.designated))[0]

    # jury
    @cached_property
    def planned_session(self):
        with at(2026, 9, 1):
            dossier = ready_dossier("cos", by=self.oemm)
            return planned_session(by=self.oemm, codes=["cos"], members=self.members, dossiers=[dossier])

    @cached_property
    def ready_dossier(self):
        with at(2026, 9, 1):
            return ready_dossier("cos", by=self.oemm)

    @cached_property
    def open_session(self):
        session = self.planned_session
        with at(2026, 11, 23, 8, 30):
            jury_workflow.open_session(session, by=self.oemm, president=self.members["emp1"])
        session.refresh_from_db()
        return session

    @cached_property
    def session_candidate(self):
        return self.open_session.candidates.get()

    @cached_property
    def signed_fiche(self):
        candidate = self.session_candidate
        fiche = jury_workflow.record_deliberation(candidate, by=self.members["emp2"], decisions=all_units(candidate))
        return jury_workflow.sign_fiche(fiche, by=self.members["emp1"])


def ctx(user, page, action=None):
    return {"user": user, "page": page, "action": action or page}


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


SCENARIOS = {
    # accounts and organisations
    "login": Scenario((cqp_forms.LoginForm,), lambda w: ctx(None, u("login"))),
    "signup": Scenario((cqp_forms.SignupForm,), lambda w: ctx(None, u("signup"))),
    "invite": Scenario((cqp_forms.InviteForm,), lambda w: ctx(w.oemm, u("oemm_account_invite"))),
    "organisme": Scenario((cqp_forms.OrganismeForm,), lambda w: ctx(w.oemm, u("oemm_organisme_edit", pk=w.organisme.pk))),
    "entreprise": Scenario((cqp_forms.EntrepriseForm,), lambda w: ctx(w.oemm, u("oemm_entreprise_edit", pk=w.entreprise.pk))),
    "email_change": Scenario((cqp_forms.EmailChangeForm,), lambda w: ctx(w.candidat, u("email_change"))),
    "otp_enable": Scenario((cqp_forms.OtpCodeForm,), lambda w: {
        **ctx(w.oemm, u("two_factor_enable")), "prepare": lambda client: client.post(u("two_factor_start"))}),
    # personal data
    "deletion_request": Scenario((personal_data_views.DeletionRequestForm,), lambda w: ctx(
        w.candidat, u("my_data"), u("my_deletion_request"))),
    "deletion_treat": Scenario((personal_data_views.TreatForm,), lambda w: ctx(
        w.oemm, u("oemm_deletion_request", pk=w.deletion_request.pk), u("oemm_deletion_request_accept", pk=w.deletion_request.pk))),
    "deletion_refuse": Scenario((personal_data_views.RefuseForm,), lambda w: ctx(
        w.oemm, u("oemm_deletion_request", pk=w.deletion_request.pk), u("oemm_deletion_request_refuse", pk=w.deletion_request.pk))),
    # dossiers
    "inscription_vae": Scenario((candidate_forms.VaeInscriptionForm,), lambda w: ctx(w.candidat, u("candidates:inscription_vae"))),
    "inscription_salarie": Scenario((candidate_forms.EmployeeInscriptionForm,),
                                    lambda w: ctx(w.rh, u("candidates:inscription_salarie"))),
    "close": Scenario((candidate_forms.CloseDossierForm,),
                      lambda w: ctx(w.oemm, u("candidates:close", number=w.vae_dossier.number))),
    "extend": Scenario((candidate_forms.ExtendFirstJuryForm,),
                       lambda w: ctx(w.oemm, u("candidates:extend", number=w.vae_dossier.number))),
    # entretien d'accueil
    "entretien": Scenario((EntretienForm, ModuleForm, PeriodForm), _entretien_page, htmx=True),
    "entretien_validate": Scenario((ConfirmForm,), lambda w: (w.filled_entretien, ctx(
        w.organisme_staff, u("candidates:entretien_validate", number=w.entretien_dossier.number)))[1]),
    # voie formative
    "designations": Scenario((DesignationForm, FormationInviteForm), _formation("formation_designations", "rh")),
    "suivi": Scenario((LivretSuiviForm, SuiviModuleForm), _formation("formation_suivi_edit", "organisme_staff"), htmx=True),
    "formative": Scenario((EvaluationFormativeForm,), _formation("formation_formative", "organisme_staff", unit_id=0), htmx=True),
    "intermediate": Scenario((IntermediateEvaluationForm,), _formation("formation_intermediate_new", "tutor", unit_id=0)),
    "review": Scenario((TutorReviewForm,), _formation("formation_review_new", "tutor")),
    "candidate_part": Scenario((CandidatePartForm,), _formation("formation_candidate", "candidat"), htmx=True),
    "assessment": Scenario((UnitAssessmentForm,), _formation("formation_assessment", "manager", unit_id=0, slot=1), htmx=True),
    "synthesis": Scenario((SynthesisForm,), _formation("formation_synthesis", "manager"), htmx=True),
    # livret 1
    "livret1": Scenario((Livret1Form, ExperienceForm), lambda w: ctx(
        w.candidat, u("vae:livret1", number=w.livret1.dossier.number), u("vae:livret1_save", number=w.livret1.dossier.number)),
        autosave=True, htmx=True, fixed=_livret1_version),
    "piece": Scenario((PieceForm,), lambda w: ctx(
        w.candidat, u("vae:livret1", number=w.livret1.dossier.number), u("vae:piece_upload", number=w.livret1.dossier.number)),
        htmx=True, files=("file",)),
    "livret1_submit": Scenario((SubmitForm,), lambda w: ctx(w.candidat, u("vae:livret1_submit", number=complete(
        w.livret1, w.candidat).dossier.number))),
    "decision": Scenario((DecisionForm,), lambda w: ctx(w.oemm, u("vae:livret1_decide", number=w.submitted_livret1.dossier.number))),
    # livret 2 and accompagnement
    "livret2": Scenario((Livret2Form,), lambda w: ctx(
        w.candidat, u("vae:livret2", number=w.livret2.dossier.number), u("vae:livret2_save", number=w.livret2.dossier.number)),
        autosave=True, htmx=True, fixed=_livret2_version),
    "livret2_piece": Scenario((Livret2PieceForm,), lambda w: ctx(
        w.candidat, u("vae:livret2", number=w.livret2.dossier.number),
        u("vae:livret2_piece_upload", number=w.livret2.dossier.number)), htmx=True, files=("file",)),
    "livret2_submit": Scenario((Livret2SubmitForm,), lambda w: ctx(w.candidat, u("vae:livret2_submit", number=(
        __import__("tests.vae.test_livret2_support", fromlist=["fill"]).fill(w.livret2, w.candidat)).dossier.number))),
    "acknowledge": Scenario((AcknowledgeForm,), lambda w: ctx(
        w.oemm, u("vae:livret2_acknowledge", number=w.submitted_livret2.dossier.number))),
    "convention_request": Scenario((ConventionRequestForm,), lambda w: (w.centre_staff, ctx(
        w.candidat, u("vae:accompagnement", number=w.recevable_dossier.number),
        u("vae:accompagnement_request", number=w.recevable_dossier.number)))[1]),
    "convention_terms": Scenario((ConventionTermsForm,), lambda w: (w.proposed_convention, ctx(
        w.centre_staff, u("vae:accompagnement", number=w.recevable_dossier.number),
        u("vae:accompagnement_terms", number=w.recevable_dossier.number)))[1]),
    "comment": Scenario((CommentForm,), lambda w: (w.accepted_convention, ctx(
        w.centre_staff, u("vae:accompagnement", number=w.recevable_dossier.number),
        u("vae:accompagnement_comment", number=w.recevable_dossier.number)))[1]),
    # jury
    "session_create": Scenario((SessionForm,), lambda w: ctx(w.oemm, u("jury:create"))),
    "session_edit": Scenario((SessionForm,), lambda w: ctx(w.oemm, u("jury:edit", pk=w.planned_session.pk))),
    "member_add": Scenario((AddMemberForm,), lambda w: _empty_session_page(w)),
    "candidate_add": Scenario((AddCandidateForm,), lambda w: (w.ready_dossier, _session_page(w, "jury:candidate_add"))[1]),
    "attendance": Scenario((AttendanceForm,), lambda w: _session_page(
        w, "jury:attendance", cid=w.planned_session.candidates.get().pk)),
    "session_open": Scenario((OpenSessionForm,), lambda w: _session_page(w, "jury:open")),
    "conflict": Scenario((ConflictForm,), lambda w: ctx(
        w.members["sal1"], u("jury:candidate", pk=w.open_session.pk, cid=w.session_candidate.pk),
        u("jury:conflict", pk=w.open_session.pk, cid=w.session_candidate.pk))),
    "deliberate": Scenario((DeliberationForm,), lambda w: ctx(
        w.members["emp2"], u("jury:candidate", pk=w.open_session.pk, cid=w.session_candidate.pk),
        u("jury:deliberate", pk=w.open_session.pk, cid=w.session_candidate.pk))),
    "fiche_correct": Scenario((CorrectionForm,), lambda w: ctx(w.oemm, u("jury:fiche_correct", pk=w.signed_fiche.pk))),
}


# ------------------------------------------------------------------------------------------ the property

@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def recorded_forms(monkeypatch):
    """The form classes the views instantiate while the test posts."""
    seen = set()
    original = django_forms.BaseForm.__init__

    def init(self, *args, **kwargs):
        seen.add(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(django_forms.BaseForm, "__init__", init)
    return seen


FILE_CONTENT = st.sampled_from([PDF, b"", b"\x00" * 64, b"MZ\x90\x00 not a pdf", b"%PDF-1.4 truncated", "é✓".encode() * 50])
FILE_NAME = st.sampled_from(["piece.pdf", "", ".pdf", "a" * 300 + ".pdf", "../../etc/passwd", "x\x00.pdf", "نص.pdf",
                             "<b>x</b>.pdf", "piece.exe", "piece"])


def _refused_page_is_french(text: str) -> bool:
    return bool(FRENCH_ERROR.search(text)) or any(marker in text for marker in HTML_ERROR_MARKERS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_random_posts_never_break_a_form(name, client, referentiels, frozen, recorded_forms, settings_private_storage):
    scenario = SCENARIOS[name]
    world = World()
    context = scenario.build(world)
    if context["user"] is not None:
        client.force_login(context["user"])
    if "prepare" in context:
        context["prepare"](client)
    page = client.get(context["page"])
    assert page.status_code == 200, (name, page.status_code)
    fields = read_fields(page.content.decode(), context["action"], context["page"])
    assert fields, f"{name}: no field found on {context['page']} for {context['action']}"
    recorded_forms.clear()

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=post_data(fields), htmx=st.booleans() if scenario.htmx else st.just(False),
           file_content=FILE_CONTENT, file_name=FILE_NAME)
    def check(data, htmx, file_content, file_name):
        if scenario.fixed:
            data.update(scenario.fixed(world))
        for file_field in scenario.files:
            data[file_field] = SimpleUploadedFile(file_name or "sans-nom", file_content, content_type="application/pdf")
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():  # each example starts from the same state: rolled back at the end
            before = snapshot()
            try:
                response = client.post(context["action"], data, **headers)
            except Exception as exc:  # the test client re-raises what the view raised: a 500 in production
                pytest.fail(f"{name}: {type(exc).__name__}: {exc} with {_short(data)} (htmx={htmx})")
            after = snapshot()
            transaction.set_rollback(True)
        changed = diff(before, after)
        status = response.status_code
        assert status in scenario.ok_status, (name, status, _short(data))
        if status in (301, 302, 303):
            # Saved (something changed) or refused with a message explaining why.
            assert changed or messages_of(response), (name, "redirect without a save nor a message", _short(data))
            return
        text = page_text(response)
        if changed and (scenario.autosave or "Enregistré" in text or status == 200 and htmx and not _has_error(text)):
            return  # an autosave stored the valid fields (by design), or an htmx save answered with its status
        assert not changed, (name, "refused but saved", changed, status, _short(data))
        assert _refused_page_is_french(text), (name, status, "no French error message", _short(data), text[:500])

    check()
    missing = set(scenario.forms) - recorded_forms
    assert not missing, f"{name}: the view never built {missing}"


def _has_error(text):
    return any(marker in text for marker in HTML_ERROR_MARKERS)


def _short(data):
    return {k: (v[:60] + f"…({len(v)})" if isinstance(v, str) and len(v) > 60 else v) for k, v in data.items()
            if not hasattr(v, "read")}


@pytest.fixture
def settings_private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
    }}


# ------------------------------------------------------------------------------------------ coverage

def our_form_classes() -> set:
    """Every form class defined in our apps' modules (found by importing them all)."""
    found = set()
    for package_name in OUR_FORM_MODULES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if ".migrations" in info.name or ".management" in info.name or info.name.endswith(("settings", "wsgi", "asgi")):
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, django_forms.BaseForm) and obj.__module__ == info.name:
                    found.add(obj)
    return found


def test_every_form_class_is_fuzzed():
    covered = {form for scenario in SCENARIOS.values() for form in scenario.forms}
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in our_form_classes() - covered)
    assert not missing, f"Forms without a property-based test (add a Scenario in {__name__}): {missing}"


def test_the_nasty_values_include_what_the_brief_asks():
    joined = "".join(NASTY)
    assert "\x00" in joined and "2026-02-30" in joined and "9999-12-31" in joined and "0001-01-01" in joined
    assert any(len(v) >= 100_000 for v in NASTY) and "\u202e" in joined
