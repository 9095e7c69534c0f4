"""French wording of what people actually read: every e-mail and every official PDF, rendered from a world of real
objects (tests/security/access_world.py: a VAE dossier through to its certificate, a voie formative dossier, a jury
session), must not show a raw code (« non_recevable », « collège employeur (ugem) », « transmis à l'oemm »), a
doubled parenthesis (« VAE (VAE (validation…)) »), a plural in parentheses (« candidat(s) ») or « 1 janvier »."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models
from django.test.signals import template_rendered
from django.utils.html import strip_tags

TEMPLATES = Path(settings.BASE_DIR) / "templates"
APPS = ("candidates", "cqp", "jury", "pilotage", "referentiels", "vae")
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
ACRONYMS = re.compile(r"(?<![\w@./:-])(oemm|ugem|ucanss|cpnefp|vae|cqp|rncp|cfdt|cgt)(?![\w@-])")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|(?<!\w)/[\w/.?=&%-]+")


def _choices(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _choices(sub)


def raw_codes() -> set[str]:
    """The stored values of the project's choices that no French sentence contains (« pret_jury », « en_cours »)."""
    return {
        str(value)
        for choices in _choices(models.Choices)
        if choices.__module__.split(".")[0] in APPS
        for value in choices.values
        if isinstance(value, str) and "_" in value
    }


def wording_problems(text: str, codes: set[str]) -> list[str]:
    plain = " ".join(strip_tags(text).split())
    words = ADDRESSES.sub(" ", plain)
    problems = []
    if "(s)" in plain:
        problems.append("« (s) »")
    if "))" in plain or "((" in plain:
        problems.append("parenthèses doublées")
    if match := ACRONYMS.search(words):
        problems.append(f"sigle en minuscules « {match.group(0)} »")
    problems += [
        f"code brut « {code} »" for code in codes if re.search(rf"(?<![\w:-]){re.escape(code)}(?![\w-])", words)
    ]
    if match := re.search(rf"(?<![\d,.])1 ({MONTHS})", plain):
        problems.append(f"« {match.group(0)} » au lieu de « 1er »")
    return problems


def test_the_checks_catch_what_the_issue_lists():
    codes = {"non_recevable", "pret_jury"}
    assert wording_problems("Demande non_recevable", codes) == ["code brut « non_recevable »"]
    assert wording_problems("collège employeur (ugem)", codes) == ["sigle en minuscules « ugem »"]
    assert wording_problems("transmis à l'oemm", codes) == ["sigle en minuscules « oemm »"]
    assert wording_problems("VAE (VAE (validation des acquis))", codes) == ["parenthèses doublées"]
    assert wording_problems("1 candidat(s)", codes) == ["« (s) »"]
    assert wording_problems("le 1 janvier 2027", codes) == ["« 1 janvier » au lieu de « 1er »"]
    clean = "Écrivez à formation@ucanss.fr ou voyez https://x.fr/dossiers/?etat=pret_jury le 1er janvier, 21 mai."
    assert wording_problems(clean, codes) == []


@pytest.fixture(scope="module")
def rendered_mails():
    """Every e-mail rendered while the world is built (the real e-mail functions with their real context)."""
    from cqp import mail

    seen = []
    original = mail.render_mail

    def recording(name, context):
        subject, text, html = original(name, context)
        seen.append((name, subject, text, html))
        return subject, text, html

    patcher = pytest.MonkeyPatch()
    patcher.setattr(mail, "render_mail", recording)
    for module in ("pilotage.reminders", "pilotage.digest", "cqp.outbox_report", "notifications.delivery"):
        patcher.setattr(f"{module}.render_mail", recording)
    yield seen
    patcher.undo()


@pytest.fixture(scope="module")
def rendered_templates():
    names = set()

    def receiver(sender, template, context, **kwargs):
        names.add(template.name)

    template_rendered.connect(receiver)
    yield names
    template_rendered.disconnect(receiver)


def _more_mails(w):
    """The e-mails the world's journey does not send: sent here by their real functions, on the world's objects."""
    from candidates.emails import send_dossier_closed, send_dossier_presented_again
    from cqp import emails as cqp_emails
    from cqp.email_change import request_email_change
    from cqp.enums import NotificationKind
    from cqp.models import Reminder
    from cqp.outbox_report import send_failure_report
    from cqp.reminder_registry import Due, reminder_collectors
    from jury.emails import send_fiche
    from notifications import events as notification_events
    from notifications.delivery import immediate_email, notify
    from pilotage import emails as pilotage_emails
    from pilotage.digest import digest_email
    from pilotage.reminders import reminder_email

    candidate, oemm = w.people["candidate"], w.people["oemm"]
    cqp_emails.send_signup_confirmation(candidate)
    cqp_emails.send_signup_existing_account(candidate)
    cqp_emails.send_invitation(w.people["jury"], role_label="Membre de jury", invited_by=oemm)
    cqp_emails.send_role_granted(w.people["centre"], role_label="Organisme de formation", invited_by=oemm)
    send_dossier_closed(w.other_vae)
    from candidates import slot_emails

    slot_emails.send_booked(w.booked_slot, w.vae)
    slot_emails.send_moved(w.booked_slot, w.vae, previous_start=w.slot.starts_at)
    slot_emails.send_cancelled(w.booked_slot, w.vae, by_candidate=False)
    slot_emails.send_cancelled(w.booked_slot, w.vae, by_candidate=True)
    send_dossier_presented_again(w.vae, units=["Unité 4"], comment="Complétez la situation 2.")
    from vae.emails import send_piece_to_replace
    from vae.enums import PieceVerdict

    piece = w.livret1_piece  # shown as « illisible, à remplacer » (not saved)
    piece.verdict, piece.verdict_reason = PieceVerdict.ILLISIBLE, "La photo est floue."
    send_piece_to_replace(piece)
    piece.verdict, piece.verdict_reason = "", ""
    notices = notify(
        NotificationKind.LIVRET_EVALUATION_RECEIVED,
        **notification_events.livret_evaluation_received(dossier=w.formative.pk),
    )
    assert notices  # the OEMM of the dossier's certifier
    for notice in notices:
        immediate_email(notice, dt.datetime.now(dt.UTC))
    w.fiche.previous_id = w.fiche.pk  # the e-mail of a rectified fiche (not saved)
    send_fiche(w.fiche, attachments=[])
    w.fiche.previous_id = None
    request_email_change(candidate, new_email="nouvelle.adresse@exemple.fr")
    pilotage_emails.send_deletion_requested(w.deletion_request)
    pilotage_emails.send_deletion_refused(w.deletion_request)
    pilotage_emails.send_deletion_treated(w.deletion_request, recipient=candidate.email, first_name="Claire")
    send_failure_report(now=w.failed_email.failed_at + dt.timedelta(hours=1))
    today, until = dt.date.today(), dt.date.today() + dt.timedelta(days=3650)
    now = dt.datetime.now(dt.UTC)
    fallback = {
        "dossier": w.vae,
        "session": w.session,
        "organisme": w.centre,
        "silence": True,
        "renewal": "prorogation",
        "missing_units": ["Domaine 3 : Identifier l'organisation"],
        "centres": [w.centre.name],
        "slot": w.booked_slot,
        "centre_path": "/dossiers/creneaux/",
    }
    items = []
    for kind, collector in reminder_collectors():
        due = next(iter(collector(today, until)), None) or Due(
            kind=kind,
            subject_key=f"dossier:{w.vae.pk}",
            due_date=today + dt.timedelta(days=14),
            label=f"{w.vae.number} — {candidate} ({w.vae.certification.title})",
            url=w.vae.get_absolute_url(),
            recipient_ids=[candidate.pk],
            context=fallback,
        )
        reminder = Reminder(
            kind=kind,
            subject_key=due.subject_key,
            threshold="14d",
            due_date=due.due_date,
            recipient=candidate,
            subject_label=due.label,
            url=due.url,
        )
        reminder_email(reminder, due.context, now)
        items.append((reminder, due))
    digest_email(oemm, today, items, [str(i) for i in range(len(items))], now, notifications=notices)


def _every_pdf(w):
    from candidates.entretien_pdf import build_entretien_pdf
    from candidates.formation_pdf import build_livret_evaluation_pdf, build_livret_suivi_pdf
    from candidates.models import Entretien
    from jury import pdf as jury_pdf
    from vae import pdf as vae_pdf

    yield "convocation", jury_pdf.build_convocation_pdf(w.convocation)
    yield "fiche de décision", jury_pdf.build_fiche_pdf(w.fiche)
    yield "certificat", jury_pdf.build_certificate_pdf(w.certificate)
    yield "notification de recevabilité", vae_pdf.build_notification_pdf(w.livret1)
    yield "livret 1", vae_pdf.build_livret1_pdf(w.livret1)
    yield "livret 2", vae_pdf.build_livret2_pdf(w.livret2)
    yield "entretien d'accueil", build_entretien_pdf(Entretien.objects.get(dossier=w.formative))
    yield "livret d'évaluation finale", build_livret_evaluation_pdf(w.formative)
    yield "livret de suivi", build_livret_suivi_pdf(w.formative)


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.django_db
def test_every_email_and_pdf_reads_in_french(rendered_mails, rendered_templates, access_world):
    w = access_world
    _more_mails(w)
    pdfs = list(_every_pdf(w))
    codes = raw_codes()
    assert {"non_recevable", "pret_jury"} <= codes
    problems = []
    for name, subject, text, html in rendered_mails:
        for part, content in (("objet", subject), ("texte", text), ("HTML", html)):
            problems += [f"e-mail {name} ({part}) : {p}" for p in wording_problems(content, codes)]
    for name, data in pdfs:
        problems += [f"PDF {name} : {p}" for p in wording_problems(_pdf_text(data), codes)]
    assert not problems, "\n".join(problems)
    # Every e-mail template and every PDF template was rendered (a new one must be added here).
    mails = {p.name.removesuffix("_subject.txt") for p in (TEMPLATES / "emails").glob("*_subject.txt")}
    assert mails - {name for name, *_ in rendered_mails} == set()
    pdf_templates = {
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if ("pdf" in p.name or "/pdf/" in str(p)) and not p.name.startswith("_")
    }
    assert pdf_templates - rendered_templates == set()
