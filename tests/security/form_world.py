"""The world the form property tests post into (tests/security/test_forms_property.py): every persona and every
object in the state its forms need, each built on first use."""

import datetime as dt
from functools import cached_property

from candidates import workflow as dossier_workflow
from candidates.entretien_forms import EntretienForm
from candidates.entretien_sheet import build_sheet
from candidates.formation_file import formation_units
from cqp.enums import EntrepriseFunction, Role
from jury import workflow as jury_workflow
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.workflow import accompagnement, livret2

from ..candidates.test_entretien_workflow import entretien_data
from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role
from ..jury.conftest import all_units, at, member, planned_session, ready_dossier
from ..vae.conftest import complete, make_dossier
from ..vae.livret2_support import accept_convention, approved_centre, register


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
        return {
            "emp1": member(C.EMPLOYEUR, "UGEM"),
            "emp2": member(C.EMPLOYEUR, "UGEM"),
            "sal1": member(C.SALARIE, "CFDT"),
            "sal2": member(C.SALARIE, "CGT"),
        }

    @cached_property
    def deletion_request(self):
        from pilotage.workflow import request_deletion

        return request_deletion(self.candidat, reason="Je ne poursuis pas ma démarche.")

    # créneaux d'entretien (far ahead: free whatever the frozen day)
    def entretien_slot(self, day=1):
        from zoneinfo import ZoneInfo

        from candidates.workflow import slots

        start = dt.datetime(2099, 1, day, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
        return slots.publish(self.organisme, by=self.organisme_staff, starts=[start], place="Salle 1")[0]

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
    def piece_to_replace(self):
        piece = self.submitted_livret1.pieces.first()
        return vae_workflow.give_verdict(piece, by=self.oemm, verdict="illisible", reason="Illisible")

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
        from ..vae.livret2_support import fill

        livret = fill(self.livret2, self.candidat)
        return livret2.submit_livret2(livret, by=self.candidat)

    @cached_property
    def centre_staff(self):
        return user_with_role(Role.ORGANISME, organisme=approved_centre())

    @cached_property
    def proposed_convention(self):
        return accompagnement.request_accompagnement(
            self.recevable_dossier, by=self.candidat, organisme=self.centre_staff.roles.get().organisme
        )

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
        form = EntretienForm(
            entretien_data(dossier, orientation="vae"), sheet=build_sheet(dossier), user=self.organisme_staff
        )
        assert form.is_valid(), form.error_lines()
        return dossier_workflow.save_entretien(dossier, by=self.organisme_staff, data=form.get_data())

    # voie formative
    @cached_property
    def formation_dossier(self):
        from ..candidates.formation_support import orient

        certification = Certification.objects.get(code="spsp")
        dossier = dossier_workflow.register_employee(
            by=self.rh,
            entreprise=self.entreprise,
            email=self.candidat.email,
            first_name="Claire",
            last_name="Martin",
            certification=certification,
            organisme=self.organisme,
            mention=certification.current_version.mentions.first(),
        )
        return orient(dossier, self.organisme_staff)

    @cached_property
    def designated(self):
        dossier = self.formation_dossier
        dossier_workflow.designate(
            dossier,
            by=self.rh,
            tutor=self.tutor,
            evaluator1=self.manager,
            evaluator1_function="Responsable",
            evaluator2=self.evaluator2,
            evaluator2_function="Formatrice",
        )
        return dossier

    @cached_property
    def formation_unit(self):
        return list(formation_units(self.designated))[0]

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
