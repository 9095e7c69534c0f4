"""Personal data (RGPD): « Mes données » export, deletion requests, anonymisation, retention, statistics."""

import datetime
import html
import io
import json
import zipfile

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
from cqp import personal_data
from cqp.daily import run_daily_job
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.models import DeletionRequest, DeletionRequestState, User
from cqp.statistics import dossier_statistics
from jury import workflow as jury_workflow
from jury.models import Certificate, Convocation, FicheDecision
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.models import Livret1, Livret2, Piece

from ..factories import PASSWORD, user_with_role
from ..jury.conftest import all_units, at, member, planned_session
from ..vae.conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
    }}


def _vae_dossier(candidate, code="cos"):
    certification = Certification.objects.get(code=code)
    mention = certification.current_version.mentions.first()
    return dossier_workflow.register_vae(candidate=candidate, certification=certification, mention=mention)


@pytest.fixture
def jury_members(db):
    from cqp.enums import College

    return {"emp1": member(College.EMPLOYEUR, "UGEM"), "emp2": member(College.EMPLOYEUR, "UGEM"),
            "sal1": member(College.SALARIE, "CFDT"), "sal2": member(College.SALARIE, "CGT")}


@pytest.fixture
def decided(referentiels, candidat, oemm, jury_members, on_commit):
    """A VAE dossier (CMI) with a complete livret 1 (2 pieces), recevable, a livret 2, a convocation, a signed fiche
    (validation totale) and a certificate, decided on 23 November 2026."""
    candidat.phone = "06 12 34 56 78"
    candidat.save()
    with at(2026, 6, 1):
        dossier = _vae_dossier(candidat, "cmi")
        livret = vae_workflow.start_livret1(dossier, by=candidat)
        livret = complete(livret, candidat)
        with on_commit():
            vae_workflow.submit_livret1(livret, by=candidat)
            vae_workflow.declare_recevable(Livret1.objects.get(pk=livret.pk), by=oemm, gap_analysis="Aucun écart.")
        dossier.refresh_from_db()
        Livret2.objects.create(dossier=dossier, referentiel=dossier.version, state="recu", received_on=datetime.date(2026, 8, 1),
                               motivation=["Je veux valider mon expérience chez Mutuelle Martin."], context="Agence de Lyon")
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cmi"], members=jury_members, dossiers=[dossier])
        candidate = session.ordered_candidates()[0]
        with on_commit():
            jury_workflow.convoke(candidate, by=oemm)
    with at(2026, 11, 23, 8, 30):
        jury_workflow.open_session(session, by=oemm, president=jury_members["emp1"])
        candidate = session.ordered_candidates()[0]
        fiche = jury_workflow.record_deliberation(candidate, by=jury_members["emp1"], decisions=all_units(candidate))
        with on_commit():
            jury_workflow.sign_fiche(fiche, by=jury_members["emp1"])
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    return dossier


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


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
    archive = _zip(response)
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
    assert len(dossier["pieces"]) == 2 and all(p["file"] in names for p in dossier["pieces"])
    for path in (livret["notification_file"], dossier["livret2"]["file"], passage["convocations"][0]["file"],
                 passage["fiches_decision"][0]["file"], dossier["certificates"][0]["file"]):
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
    data = json.loads(_zip(client.post(export)).read("donnees.json"))
    assert data["account"]["email"] == other_candidat.email and data["dossiers"] == []  # nobody else's data


def test_export_queries_do_not_grow_with_the_dossiers(referentiels, candidat, oemm):
    def count():
        with CaptureQueriesContext(connection) as queries:
            personal_data.build_export(User.objects.get(pk=candidat.pk))
        return len(queries)

    first = _vae_dossier(candidat, "cos")
    vae_workflow.start_livret1(first, by=candidat)
    one = count()
    for code in ("cmi", "gpac"):
        dossier = _vae_dossier(candidat, code)
        complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    assert count() == one


# ------------------------------------------------------------------------------------------------ deletion requests


def test_deletion_request_then_refusal_while_in_progress_then_anonymisation(client, referentiels, candidat, oemm, on_commit):
    dossier = _vae_dossier(candidat)
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
    assert dossier.events.filter(action="anonymise", actor=oemm, comment=f"Demande d'effacement n° {request.pk}").exists()
    # Treated once only.
    with pytest.raises(WorkflowError, match="déjà"):
        personal_data.refuse_deletion(request, by=oemm, answer="Non")


def test_refusal_needs_a_reason_and_informs_the_candidate(client, referentiels, candidat, oemm, on_commit):
    request = personal_data.request_deletion(candidat, reason="")
    client.force_login(oemm)
    client.post(reverse("oemm_deletion_request_refuse", args=[request.pk]), {"answer": "  "})
    request.refresh_from_db()
    assert request.state == DeletionRequestState.DEMANDEE
    mail.outbox.clear()
    with on_commit():
        client.post(reverse("oemm_deletion_request_refuse", args=[request.pk]),
                    {"answer": "Un contrôle de l'organisme certificateur est en cours."})
    request.refresh_from_db()
    assert request.state == DeletionRequestState.REFUSEE and request.treated_by == oemm
    (message,) = mail.outbox
    assert message.to == [candidat.email] and "contrôle de l'organisme certificateur" in message.body
    candidat.refresh_from_db()
    assert candidat.is_active and candidat.anonymised_at is None


def test_oemm_pages_are_for_oemm_only(client, referentiels, candidat, other_candidat, organisme_user, jury_member, oemm):
    request = personal_data.request_deletion(candidat, reason="")
    gets = [reverse("oemm_deletion_requests"), reverse("oemm_deletion_request", args=[request.pk]),
            reverse("oemm_retention"), reverse("oemm_statistics")]
    posts = [reverse("oemm_deletion_request_accept", args=[request.pk]),
             reverse("oemm_deletion_request_refuse", args=[request.pk]), reverse("oemm_retention_anonymise", args=[candidat.pk])]
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
    identity = [candidat.email, candidat.first_name, candidat.last_name, "06 12 34 56 78", "Martin", "Claire Anne",
                "claire@exemple.fr", "3 rue des Lilas", "Mutuelle Martin"]
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
    assert (user.first_name, user.last_name, user.email, user.phone) == ("Anonyme", "Anonyme", f"anonyme-{user.pk}@invalid", "")
    assert not user.is_active and not user.has_usable_password() and user.anonymised_at
    response = client.post(reverse("login"), {"username": identity[0], "password": PASSWORD})
    assert response.status_code in (200, 429) and "_auth_user_id" not in client.session
    livret = Livret1.objects.get(dossier=dossier)
    assert (livret.birth_name, livret.first_names, livret.email, livret.address, livret.birth_date) == ("", "", "", "", None)
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
    assert summary["pieces"] == 2 and summary["convocations"] == 1 and summary["history_rows"] > 0
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
        closed = _vae_dossier(ended)
        dossier_workflow.close(closed, by=oemm, reason="Abandon")
        _vae_dossier(in_progress)  # still open: never anonymised
        organisme_person.date_joined = closed.created_at
        organisme_person.save()
    with at(2021, 5, 1):
        dossier_workflow.close(_vae_dossier(recent), by=oemm, reason="Abandon")

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
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.timezone.utc), tick=False):
        dossier_workflow.close(_vae_dossier(person), by=oemm, reason="Abandon")
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.timezone.utc), tick=False):
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
    User.objects.filter(pk=returning.pk).update(last_login=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
    assert [u.pk for u in personal_data.past_retention(datetime.date(2026, 1, 10))] == [idle.pk]


def test_statistics_page_counts_dossiers(client, referentiels, candidat, oemm):
    _vae_dossier(candidat, "cos")
    client.force_login(oemm)
    page = client.get(reverse("oemm_statistics")).content.decode()
    assert "COS" in page and "1 dossier" in page


# ------------------------------------------------------------------------------------------------ wrong state
# An action posted when the object is not in a state that allows it: refused with a French message, nothing written
# (rows, audit events, e-mails), never a 500.


def _messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def _post(client, url, data=None):
    """POST, then open the page it redirects to: the messages are shown there (and so consumed)."""
    response = client.post(url, data or {})
    if response.status_code == 302:
        shown = client.get(response["Location"])
        assert shown.status_code == 200
        page = html.unescape(shown.content.decode())
        assert all(message in page for message in _messages(response))
    return response


def _written():
    """What a refused action must leave as it was: deletion requests, accounts, audit events (rows, as values)."""
    return (list(DeletionRequest.objects.order_by("pk").values()),
            list(User.objects.order_by("pk").values("pk", "email", "first_name", "is_active", "anonymised_at")),
            list(DossierEvent.objects.order_by("pk").values_list("pk", "action")))


def _closed_dossier(candidate, oemm):
    dossier = _vae_dossier(candidate)
    dossier_workflow.close(dossier, by=oemm, reason="Abandon")
    return dossier


def test_export_while_a_deletion_request_is_pending_writes_nothing(client, referentiels, candidat, on_commit):
    _vae_dossier(candidat)
    personal_data.request_deletion(candidat, reason="")
    client.force_login(candidat)  # (writes last_login)
    before = _written()
    mail.outbox.clear()
    with on_commit():
        response = client.post(reverse("my_data_export"))
    assert response.status_code == 200 and json.loads(_zip(response).read("donnees.json"))["deletion_requests"][0]["state"] == "demandee"
    assert client.get(reverse("my_data_export")).status_code == 405
    assert _written() == before and mail.outbox == []


def test_a_second_deletion_request_while_one_is_pending_is_refused(client, referentiels, candidat, oemm, on_commit):
    _vae_dossier(candidat)
    personal_data.request_deletion(candidat, reason="Première demande")
    before = _written()
    mail.outbox.clear()
    client.force_login(candidat)
    for reason in ("Deuxième demande", "x" * 3000):  # the state refuses it, even with a reason the form would refuse
        with on_commit():
            response = _post(client, reverse("my_deletion_request"), {"reason": reason})
        assert response.status_code == 302 and response["Location"] == reverse("my_data")
        assert _messages(response) == ["Vous avez déjà une demande d'effacement en attente de traitement."]
    assert _written() == before and mail.outbox == []
    assert "en attente de traitement" in client.get(reverse("my_data")).content.decode()


@pytest.mark.parametrize("first", ["accept", "refuse"])
def test_a_treated_request_cannot_be_accepted_or_refused_again(client, referentiels, candidat, oemm, on_commit, first):
    _closed_dossier(candidat, oemm)
    request = personal_data.request_deletion(candidat, reason="")
    if first == "accept":
        personal_data.accept_deletion(request, by=oemm, answer="C'est fait.")
        label = "Traitée (données anonymisées)"
    else:
        personal_data.refuse_deletion(request, by=oemm, answer="Contrôle en cours.")
        label = "Refusée"
    before = _written()
    mail.outbox.clear()
    client.force_login(oemm)
    for name in ("oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
        for data in ({"answer": "Encore"}, {"answer": ""}):  # an empty refusal is told the state, not « indiquez le motif »
            with on_commit():
                response = _post(client, reverse(name, args=[request.pk]), data)
            assert response.status_code == 302 and response["Location"] == reverse("oemm_deletion_request", args=[request.pk])
            assert _messages(response) == [f"Cette demande est déjà « {label} » : elle ne peut plus être traitée."]
    assert _written() == before and mail.outbox == []
    page = client.get(reverse("oemm_deletion_request", args=[request.pk]))
    assert page.status_code == 200 and label in page.content.decode()


def test_accepting_while_a_dossier_is_open_writes_nothing(client, referentiels, candidat, oemm, on_commit):
    dossier = _vae_dossier(candidat)
    request = personal_data.request_deletion(candidat, reason="Je pars.")
    before = _written()
    mail.outbox.clear()
    client.force_login(oemm)
    with on_commit():
        response = _post(client, reverse("oemm_deletion_request_accept", args=[request.pk]), {"answer": "OK"})
    assert response.status_code == 302
    (message,) = _messages(response)
    assert message.startswith("Anonymisation impossible tant qu'un dossier est en cours") and dossier.number in message
    assert _written() == before and mail.outbox == []


def test_a_too_long_or_missing_answer_is_refused_with_the_right_message(client, referentiels, candidat, oemm, on_commit):
    _closed_dossier(candidat, oemm)
    request = personal_data.request_deletion(candidat, reason="")
    before = _written()
    mail.outbox.clear()
    client.force_login(oemm)
    cases = [("oemm_deletion_request_accept", "x" * 2001, "Le message au candidat est trop long (2 000 caractères au plus)."),
             ("oemm_deletion_request_refuse", "x" * 2001, "Le message au candidat est trop long (2 000 caractères au plus)."),
             ("oemm_deletion_request_refuse", "   ", "Indiquez le motif du refus : il est envoyé au candidat.")]
    for name, answer, expected in cases:
        with on_commit():
            response = _post(client, reverse(name, args=[request.pk]), {"answer": answer})
        assert response.status_code == 302 and _messages(response) == [expected]
    assert _written() == before and mail.outbox == []


def test_an_unknown_deletion_request_is_a_404(client, db, oemm):
    client.force_login(oemm)
    for name in ("oemm_deletion_request", "oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
        response = _post(client, reverse(name, args=[999_999]), {"answer": "Non"})
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert not DeletionRequest.objects.exists() and mail.outbox == []


def test_anonymisation_at_retention_closes_the_pending_request(client, referentiels, candidat, oemm, settings, on_commit):
    """Bug fixed: the request stayed « demandée » after the retention anonymisation; refusing it then mailed the
    erased address (anonyme-…@invalid) and recorded a refusal after the erasure."""
    settings.RETENTION_YEARS = 1
    with at(2025, 1, 10):
        _closed_dossier(candidat, oemm)
        request = personal_data.request_deletion(candidat, reason="Je pars.")
    with at(2026, 2, 1):
        client.force_login(oemm)
        response = _post(client, reverse("oemm_retention_anonymise", args=[candidat.pk]))
        assert _messages(response) == [f"Compte n° {candidat.pk} anonymisé."]
        request.refresh_from_db()
        assert request.state == DeletionRequestState.TRAITEE and request.treated_by == oemm and request.reason == ""
        assert request.answer == "Durée de conservation (1 ans) échue"
        before = _written()
        mail.outbox.clear()
        with on_commit():
            response = _post(client, reverse("oemm_deletion_request_refuse", args=[request.pk]), {"answer": "Non"})
        assert _messages(response) == ["Cette demande est déjà « Traitée (données anonymisées) » : elle ne peut plus être traitée."]
        assert _written() == before and mail.outbox == []
        # A request left pending by an earlier anonymisation is refused too, with no mail to the erased address.
        DeletionRequest.objects.filter(pk=request.pk).update(state=DeletionRequestState.DEMANDEE)
        before = _written()
        for name in ("oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
            with on_commit():
                response = _post(client, reverse(name, args=[request.pk]), {"answer": "Non"})
            assert response.status_code == 302 and len(_messages(response)) == 1
            assert "déjà anonymisées" in _messages(response)[0]
        assert _written() == before and mail.outbox == []


@pytest.fixture
def retention_world(referentiels, oemm, settings):
    """Retention of one year, on 1 February 2026: one candidate of each kind the retention page must refuse."""
    from cqp.enums import College
    from cqp.models import UserRole

    settings.RETENTION_YEARS = 1
    people = {key: user_with_role(Role.CANDIDAT) for key in ("anonymised", "recent", "open", "jury_too")}
    with at(2024, 6, 1):
        _closed_dossier(people["anonymised"], oemm)
        _vae_dossier(people["open"])  # still in progress
        _closed_dossier(people["jury_too"], oemm)
    UserRole.objects.create(user=people["jury_too"], role=Role.JURY, college=College.EMPLOYEUR)
    with at(2025, 12, 1):
        _closed_dossier(people["recent"], oemm)
    with at(2026, 2, 1):
        personal_data.anonymise_candidate(people["anonymised"], by=oemm, reason="Test")
        yield people


@pytest.mark.parametrize("who, expected", [
    ("anonymised", "Les données de cette personne sont déjà anonymisées."),
    ("recent", "La durée de conservation (1 ans) du compte n° {pk} n'est pas échue : il ne peut pas encore être anonymisé."),
    ("open", "Anonymisation impossible tant qu'un dossier est en cours"),
    ("jury_too", "Ce compte a aussi d'autres rôles (Membre de jury)"),
])
def test_retention_anonymise_refuses_a_candidate_not_due(client, retention_world, oemm, on_commit, who, expected):
    person = retention_world[who]
    before = _written()
    mail.outbox.clear()
    client.force_login(oemm)
    with on_commit():
        response = _post(client, reverse("oemm_retention_anonymise", args=[person.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("oemm_retention")
    (message,) = _messages(response)
    assert message.startswith(expected.format(pk=person.pk))
    assert _written() == before and mail.outbox == []


def test_retention_anonymise_of_an_unknown_or_non_candidate_account_is_a_404(client, retention_world, oemm, organisme_user):
    before = _written()
    client.force_login(oemm)
    for pk in (999_999, organisme_user.pk, oemm.pk):
        response = _post(client, reverse("oemm_retention_anonymise", args=[pk]))
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert _written() == before and mail.outbox == []
