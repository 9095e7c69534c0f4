"""Personal data (RGPD): « Mes données » export, deletion requests, anonymisation, retention, statistics (the refused
actions, in a wrong state, are in test_personal_data_wrong_state.py)."""

import datetime
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates import workflow as dossier_workflow
from candidates.enums import DossierState
from candidates.models import DossierEvent
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.models import DeletionRequest, DeletionRequestState, User
from jury.models import Certificate, Convocation, FicheDecision
from pilotage import personal_data
from pilotage import workflow as deletion_workflow
from pilotage.daily import run_daily_job
from pilotage.statistics import dossier_statistics
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.models import Livret1, Livret2, Piece

from ...factories import PASSWORD, user_with_role
from ...jury.conftest import at
from ...vae.conftest import complete
from .world import vae_dossier, zip_of

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ export


def test_the_candidate_downloads_every_data_and_file(client, decided, candidat):
    client.force_login(candidat)
    page = client.get(reverse("my_data"))
    assert page.status_code == 200 and "Télécharger mes données" in page.content.decode()
    assert reverse("my_data") in client.get(reverse("dashboard_candidat")).content.decode()

    response = client.post(reverse("my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;") and ".zip" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zip_of(response)
    data = json.loads(archive.read("donnees.json"))
    assert data["format_version"] == personal_data.EXPORT_FORMAT_VERSION
    assert data["account"]["email"] == candidat.email and data["account"]["phone"] == "06 12 34 56 78"
    assert [r["role"] for r in data["roles"]] == [Role.CANDIDAT]
    (dossier,) = data["dossiers"]
    assert dossier["number"] == decided.number and dossier["certification"]["code"] == "cmi"
    assert {"register", "declare_recevable", "record_decision"} <= {e["action"] for e in dossier["events"]}
    (livret,) = dossier["livrets1"]
    assert livret["birth_name"] == "Martin" and livret["state"] == "recevable"
    assert livret["experiences"][0]["organisation"] == "CPAM du Rhône"
    assert dossier["livret2"]["motivation"] == ["Je veux valider mon expérience chez Mutuelle Martin."]
    (passage,) = dossier["jury"]
    assert passage["convocations"][0]["version"] == 1
    assert passage["fiches_decision"][0]["outcome"] == "totale" and passage["fiches_decision"][0]["unit_decisions"]
    assert dossier["certificates"][0]["code"] == Certificate.objects.get(dossier=decided).code
    assert len(data["validated_units"]) == 7
    # Every file is in the zip, where the JSON says.
    names = set(archive.namelist())
    assert {"donnees.json", "LISEZMOI.txt"} <= names
    assert set(data["files"]) <= names and data["missing_files"] == []
    assert len(dossier["pieces"]) == 4 and all(
        p["file"] in names for p in dossier["pieces"]
    )  # livret 1 (2) and before the jury (2)
    for path in (
        livret["notification_file"],
        dossier["livret2"]["file"],
        passage["convocations"][0]["file"],
        passage["fiches_decision"][0]["file"],
        dossier["certificates"][0]["file"],
    ):
        assert path.startswith(f"fichiers/{decided.number}/") and archive.read(path).startswith(b"%PDF")


def test_export_is_only_for_the_candidate(client, decided, candidat, other_candidat, oemm, organisme_user):
    url, export = reverse("my_data"), reverse("my_data_export")
    assert client.get(url)["Location"].startswith(reverse("login"))
    assert client.post(export)["Location"].startswith(reverse("login"))
    for person in (oemm, organisme_user):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(export).status_code == 403
        assert "Mes données" not in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(other_candidat)
    assert client.get(export).status_code == 405
    data = json.loads(zip_of(client.post(export)).read("donnees.json"))
    assert data["account"]["email"] == other_candidat.email and data["dossiers"] == []  # nobody else's data


def test_export_queries_do_not_grow_with_the_dossiers(referentiels, candidat, oemm):
    def count():
        with CaptureQueriesContext(connection) as queries:
            personal_data.build_export(User.objects.get(pk=candidat.pk))
        return len(queries)

    first = vae_dossier(candidat, "cos")
    vae_workflow.start_livret1(first, by=candidat)
    one = count()
    for code in ("cmi", "gpac"):
        dossier = vae_dossier(candidat, code)
        complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    assert count() == one


# ------------------------------------------------------------------------------------------------ deletion requests


def test_deletion_request_then_refusal_while_in_progress_then_anonymisation(
    client, referentiels, candidat, oemm, on_commit
):
    dossier = vae_dossier(candidat)
    email, first_name = candidat.email, candidat.first_name
    client.force_login(candidat)
    page = client.get(reverse("my_data")).content.decode()
    assert 'data-confirm="' in page and "onsubmit" not in page
    mail.outbox.clear()
    with on_commit():
        response = client.post(reverse("my_deletion_request"), {"reason": "Je quitte le secteur."})
    assert response.status_code == 302
    request = DeletionRequest.objects.get(candidate=candidat)
    assert request.state == DeletionRequestState.DEMANDEE and request.reason == "Je quitte le secteur."
    assert dossier.events.filter(action="deletion_requested", actor=candidat).exists()
    assert [m.to for m in mail.outbox] == [[oemm.email]] and email not in mail.outbox[0].body
    assert "en attente de traitement" in client.get(reverse("my_data")).content.decode()
    client.post(reverse("my_deletion_request"), {"reason": "Encore"})
    assert DeletionRequest.objects.filter(candidate=candidat).count() == 1  # one pending request at a time

    client.force_login(oemm)
    assert str(request.pk) in client.get(reverse("oemm_deletion_requests")).content.decode()
    detail = client.get(reverse("oemm_deletion_request", args=[request.pk])).content.decode()
    assert "un dossier est en cours" in detail and dossier.number in detail
    response = client.post(reverse("oemm_deletion_request_accept", args=[request.pk]), follow=True)
    assert "un dossier est en cours" in response.content.decode()
    request.refresh_from_db()
    candidat.refresh_from_db()
    assert request.state == DeletionRequestState.DEMANDEE and candidat.anonymised_at is None

    dossier_workflow.close(dossier, by=oemm, reason="Abandon du candidat")
    mail.outbox.clear()
    with on_commit():
        client.post(reverse("oemm_deletion_request_accept", args=[request.pk]), {"answer": "C'est fait."})
    request.refresh_from_db()
    candidat.refresh_from_db()
    assert request.state == DeletionRequestState.TRAITEE and request.treated_by == oemm and request.reason == ""
    assert candidat.anonymised_at and candidat.email == f"anonyme-{candidat.pk}@invalid" and not candidat.is_active
    (message,) = mail.outbox
    assert message.to == [email] and first_name in message.body and "C'est fait." in message.body
    assert dossier.events.filter(
        action="anonymise", actor=oemm, comment=f"Demande d'effacement n° {request.pk}"
    ).exists()
    # Treated once only.
    with pytest.raises(WorkflowError, match="déjà"):
        deletion_workflow.refuse_deletion(request, by=oemm, answer="Non")


def test_refusal_needs_a_reason_and_informs_the_candidate(client, referentiels, candidat, oemm, on_commit):
    request = deletion_workflow.request_deletion(candidat, reason="")
    client.force_login(oemm)
    client.post(reverse("oemm_deletion_request_refuse", args=[request.pk]), {"answer": "  "})
    request.refresh_from_db()
    assert request.state == DeletionRequestState.DEMANDEE
    mail.outbox.clear()
    with on_commit():
        client.post(
            reverse("oemm_deletion_request_refuse", args=[request.pk]),
            {"answer": "Un contrôle de l'organisme certificateur est en cours."},
        )
    request.refresh_from_db()
    assert request.state == DeletionRequestState.REFUSEE and request.treated_by == oemm
    (message,) = mail.outbox
    assert message.to == [candidat.email] and "contrôle de l'organisme certificateur" in message.body
    candidat.refresh_from_db()
    assert candidat.is_active and candidat.anonymised_at is None


def test_oemm_pages_are_for_oemm_only(
    client, referentiels, candidat, other_candidat, organisme_user, jury_member, oemm
):
    request = deletion_workflow.request_deletion(candidat, reason="")
    gets = [
        reverse("oemm_deletion_requests"),
        reverse("oemm_deletion_request", args=[request.pk]),
        reverse("oemm_retention"),
        reverse("oemm_statistics"),
    ]
    posts = [
        reverse("oemm_deletion_request_accept", args=[request.pk]),
        reverse("oemm_deletion_request_refuse", args=[request.pk]),
        reverse("oemm_retention_anonymise", args=[candidat.pk]),
    ]
    for url in gets + posts:
        assert client.get(url)["Location"].startswith(reverse("login"))
    for person in (candidat, other_candidat, organisme_user, jury_member):
        client.force_login(person)
        for url in gets:
            assert client.get(url).status_code == 403
        for url in posts:
            assert client.post(url, {"answer": "Non"}).status_code == 403
    request.refresh_from_db()
    candidat.refresh_from_db()
    assert request.state == DeletionRequestState.DEMANDEE and candidat.anonymised_at is None
    client.force_login(oemm)
    assert client.get(reverse("oemm_deletion_request", args=[request.pk + 1000])).status_code == 404
    # A candidate not past retention cannot be anonymised from the retention page (see the « wrong state » tests).
    assert client.post(reverse("oemm_retention_anonymise", args=[candidat.pk]))["Location"] == reverse("oemm_retention")
    candidat.refresh_from_db()
    assert candidat.anonymised_at is None
    for url in gets:
        assert client.get(url).status_code == 200
    assert reverse("oemm_deletion_requests") in client.get(reverse("dashboard_oemm")).content.decode()


def test_only_candidate_accounts_are_anonymised(referentiels, oemm, organisme_user):
    with pytest.raises(WorkflowError, match="autres rôles"):
        personal_data.anonymise_candidate(organisme_user, by=oemm, reason="Test")
    both = user_with_role(Role.CANDIDAT)
    from cqp.models import UserRole

    UserRole.objects.create(user=both, role=Role.JURY, college="employeur")
    with pytest.raises(WorkflowError, match="Membre de jury"):
        personal_data.anonymise_candidate(User.objects.get(pk=both.pk), by=oemm, reason="Test")


# ------------------------------------------------------------------------------------------------ anonymisation


def _history_text(user):
    """Every text value of every historical row that simple-history keeps, as one string.

    The history of the other accounts is left out: their own (random) names may be the same as the person's.
    """
    from simple_history.models import registered_models

    chunks = []
    for model in {m for m in registered_models.values()}:
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager:
            continue
        history = getattr(model, manager).model
        rows = history.objects.filter(id=user.pk) if issubclass(model, User) else history.objects.all()
        for row in rows.values():
            chunks.extend(str(v) for v in row.values() if isinstance(v, (str, list, dict)))
    return "\n".join(chunks)


def test_anonymisation_erases_identity_keeps_legal_records_and_statistics(client, decided, candidat, oemm):
    dossier = decided
    identity = [
        candidat.email,
        candidat.first_name,
        candidat.last_name,
        "06 12 34 56 78",
        "Martin",
        "Claire Anne",
        "claire@exemple.fr",
        "3 rue des Lilas",
        "Mutuelle Martin",
    ]
    assert candidat.email in _history_text(candidat)
    pieces = list(Piece.objects.filter(dossier=dossier))
    convocation = Convocation.objects.get(session_candidate__dossier=dossier)
    fiche = FicheDecision.objects.get(session_candidate__dossier=dossier)
    certificate = Certificate.objects.get(dossier=dossier)
    files = [p.file.name for p in pieces] + [convocation.pdf.name]
    assert all(default_storage.exists(name) for name in files)
    kept = (fiche.pdf.name, certificate.pdf.name)
    statistics = dossier_statistics()
    events = dossier.events.count()

    summary = personal_data.anonymise_candidate(candidat, by=oemm, reason="Demande du candidat")

    user = User.objects.get(pk=candidat.pk)
    assert (user.first_name, user.last_name, user.email, user.phone) == (
        "Anonyme",
        "Anonyme",
        f"anonyme-{user.pk}@invalid",
        "",
    )
    assert not user.is_active and not user.has_usable_password() and user.anonymised_at
    response = client.post(reverse("login"), {"username": identity[0], "password": PASSWORD})
    assert response.status_code in (200, 429) and "_auth_user_id" not in client.session
    livret = Livret1.objects.get(dossier=dossier)
    assert (livret.birth_name, livret.first_names, livret.email, livret.address, livret.birth_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert livret.state == "recevable" and livret.experiences.get().organisation == ""
    assert Livret2.objects.get(dossier=dossier).motivation == []
    assert not Piece.objects.filter(dossier=dossier).exists()
    assert not any(default_storage.exists(name) for name in files)
    convocation.refresh_from_db()
    assert not convocation.pdf and convocation.version == 1
    # Legal records: rows and PDFs untouched.
    fiche.refresh_from_db()
    certificate.refresh_from_db()
    assert (fiche.pdf.name, certificate.pdf.name) == kept and all(default_storage.exists(n) for n in kept)
    assert fiche.outcome == "totale" and certificate.is_valid
    # History: nothing left that names the person.
    history = _history_text(user)
    assert not [text for text in identity if text in history]
    assert user.history.count() == 1 and user.history.get().email == user.email
    # Audit and statistics.
    assert summary["pieces"] == 4 and summary["convocations"] == 1 and summary["history_rows"] > 0
    event = dossier.events.get(action="anonymise")
    assert event.actor == oemm and event.comment == "Demande du candidat" and dossier.events.count() == events + 1
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE and dossier.certification.code == "cmi"
    assert dossier_statistics() == statistics
    assert {"cqp": "cmi", "outcome": "totale", "state": "decide"}.items() <= statistics[0].items()
    # Idempotent.
    assert personal_data.anonymise_candidate(user, by=oemm, reason="Encore") == {"already": True}
    assert dossier.events.filter(action="anonymise").count() == 1


# ------------------------------------------------------------------------------------------------ retention


def test_retention_lists_and_anonymises_after_the_period_only(client, referentiels, oemm, settings, on_commit):
    settings.RETENTION_YEARS = 6
    ended, in_progress, recent = (user_with_role(Role.CANDIDAT) for _ in range(3))
    organisme_person = user_with_role(Role.ORGANISME)
    with at(2020, 3, 10):
        closed = vae_dossier(ended)
        dossier_workflow.close(closed, by=oemm, reason="Abandon")
        vae_dossier(in_progress)  # still open: never anonymised
        organisme_person.date_joined = closed.created_at
        organisme_person.save()
    with at(2021, 5, 1):
        dossier_workflow.close(vae_dossier(recent), by=oemm, reason="Abandon")

    with at(2026, 3, 9):  # 6 years minus a day
        assert list(personal_data.past_retention(datetime.date(2026, 3, 9))) == []
        assert run_daily_job(datetime.date(2026, 3, 9))["anonymised"] == 0
    with at(2026, 3, 11):
        today = datetime.date(2026, 3, 11)
        assert [u.pk for u in personal_data.past_retention(today)] == [ended.pk]
        client.force_login(oemm)
        page = client.get(reverse("oemm_retention")).content.decode()
        assert "Anonymiser" in page and "data-confirm" in page and str(ended) in page
        out = io.StringIO()
        call_command("anonymise_expired", "--dry-run", stdout=out)
        assert out.getvalue().startswith("1 compte")
        call_command("anonymise_expired", stdout=out)
        assert "1 compte(s) anonymisé(s)" in out.getvalue()
        call_command("anonymise_expired", stdout=(again := io.StringIO()))
        assert again.getvalue().startswith("0 compte")  # idempotent
    ended.refresh_from_db()
    assert ended.anonymised_at and ended.email.endswith("@invalid")
    event = DossierEvent.objects.get(dossier=closed, action="anonymise")
    assert event.actor is None and "6 ans" in event.comment
    for person in (in_progress, recent, organisme_person):
        person.refresh_from_db()
        assert person.anonymised_at is None and person.is_active
    with at(2027, 5, 2):
        assert run_daily_job(datetime.date(2027, 5, 2))["anonymised"] == 1  # « recent » is now past retention too
        assert run_daily_job(datetime.date(2027, 5, 2))["anonymised"] == 0


def test_oemm_anonymises_from_the_retention_page(client, referentiels, oemm, settings):
    settings.RETENTION_YEARS = 1
    person = user_with_role(Role.CANDIDAT)
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        dossier_workflow.close(vae_dossier(person), by=oemm, reason="Abandon")
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC), tick=False):
        client.force_login(oemm)
        response = client.post(reverse("oemm_retention_anonymise", args=[person.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("oemm_retention")
        person.refresh_from_db()
        assert person.anonymised_at is not None
        response = client.post(reverse("oemm_retention_anonymise", args=[person.pk]), follow=True)
        assert response.redirect_chain == [(reverse("oemm_retention"), 302)]
        assert "déjà anonymisées" in response.content.decode()


def test_accounts_without_dossier_expire_after_the_period_without_login(referentiels, settings):
    settings.RETENTION_YEARS = 6
    with at(2019, 1, 5):
        idle, returning = user_with_role(Role.CANDIDAT), user_with_role(Role.CANDIDAT)
    User.objects.filter(pk=returning.pk).update(last_login=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    assert [u.pk for u in personal_data.past_retention(datetime.date(2026, 1, 10))] == [idle.pk]


def test_statistics_page_counts_dossiers(client, referentiels, candidat, oemm):
    vae_dossier(candidat, "cos")
    client.force_login(oemm)
    page = client.get(reverse("oemm_statistics")).content.decode()
    title = Certification.objects.get(code="cos").title
    assert title in page and "1 dossier" in page
