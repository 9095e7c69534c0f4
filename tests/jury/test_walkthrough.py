"""One session from start to end through the pages: OEMM, the four members and the president; three candidates
ending in validation totale, partielle and aucune."""

from django.core import mail
from django.urls import reverse

from candidates.enums import DossierState
from jury.enums import Outcome, SessionState
from jury.models import Certificate, JurySession, SessionEvent

from .conftest import all_units, at, pdf_text, ready_dossier


def _ok(response):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200 and hasattr(response, "context") and response.context:
        errors = [m.message for m in response.context.get("messages", []) if m.level_tag == "error"]
        assert not errors, errors
    return response


def test_a_whole_session(client, referentiels, oemm, members, approved_centre, on_commit):
    with at(2026, 9, 1):
        dossiers = [ready_dossier("cos", by=oemm) for _ in range(3)]

    # OEMM plans the session and sees the dossiers ready for jury.
    with at(2026, 9, 15):
        client.force_login(oemm)
        page = client.get(reverse("jury:list")).content.decode()
        assert all(d.number in page for d in dossiers) and "1er septembre 2029" in page  # first-jury deadline
        response = client.post(
            reverse("jury:create"),
            {
                "certifications": [dossiers[0].certification.pk],
                "date": "2026-11-23",
                "start_time": "09:00",
                "place": "OEMM, salle 2",
                "video_link": "",
                "capacity": "6",
            },
        )
        session = JurySession.objects.get()
        assert response.status_code == 302 and response.url == session.get_absolute_url()
        for user in members.values():
            _ok(client.post(reverse("jury:member_add", kwargs={"pk": session.pk}), {"user": user.pk}))
        for dossier in dossiers:
            _ok(client.post(reverse("jury:candidate_add", kwargs={"pk": session.pk}), {"dossier": dossier.pk}))
        page = client.get(session.get_absolute_url()).content.decode()
        assert "Entretien de 20 min environ, puis délibération" in page  # COS format
        assert "09:00 – 09:30" in page and "09:30 – 10:00" in page and "10:00 – 10:30" in page
        assert "Jury professionnel au complet" in page  # the Ucanss CQP: its own jury
        candidates = list(session.ordered_candidates())
        mail.outbox.clear()
        with on_commit():
            for c in candidates:
                _ok(client.post(reverse("jury:convoke", kwargs={"pk": session.pk, "cid": c.pk})))
        convocations = [m for m in mail.outbox if m.attachments]
        assert len(convocations) == 3 and all(len(m.attachments) == 2 for m in convocations)
        # Once every candidate is convoked, each member is told the dossiers are ready to read (notifications/).
        told = sorted(m.to[0] for m in mail.outbox if not m.attachments)
        assert told == sorted(user.email for user in members.values())
        assert all("sont convoqués" in m.subject for m in mail.outbox if not m.attachments)

    # Start of the session: the staff designates the president (the Ucanss's professional jury chooses freely: no
    # alternation between colleges, unlike the CPNEFP's, tested in test_workflow).
    with at(2026, 11, 23, 8, 45):
        client.force_login(oemm)
        _ok(client.post(reverse("jury:open", kwargs={"pk": session.pk}), {"president": members["emp1"].pk}))
        session.refresh_from_db()
        assert session.state == SessionState.OUVERTE and session.president == members["emp1"]

    # The members see the workspace; a member declares a conflict of interest with the third candidate.
    with at(2026, 11, 23, 9, 0):
        totale, partielle, aucune = candidates
        client.force_login(members["sal2"])
        page = client.get(totale.get_absolute_url()).content.decode()
        assert "Le dossier (lecture seule)" in page and "Enregistrer la délibération" in page
        _ok(
            client.post(
                reverse("jury:conflict", kwargs={"pk": session.pk, "cid": aucune.pk}), {"reason": "Même employeur"}
            )
        )

        def deliberate(user, candidate, decisions, **extra):
            client.force_login(user)
            data = {f"unit_{pk}": "1" if ok else "0" for pk, ok in decisions.items()}
            data.update({"experience_to_deepen": "", "modules_to_follow": "", **extra})
            return _ok(client.post(reverse("jury:deliberate", kwargs={"pk": session.pk, "cid": candidate.pk}), data))

        deliberate(members["emp2"], totale, all_units(totale))
        deliberate(
            members["sal1"],
            partielle,
            all_units(partielle, except_numbers=[2, 4]),
            experience_to_deepen="Maîtrise des risques en situation réelle",
            modules_to_follow="Module saisies de masse",
        )
        deliberate(members["sal2"], aucune, all_units(aucune, validated=False))
        assert not aucune.fiches.exists()  # refused: conflict of interest
        deliberate(members["emp2"], aucune, all_units(aucune, validated=False))

        # Only the president signs (a member gets no sign button and is refused).
        client.force_login(members["emp2"])
        fiche = totale.current_fiche
        assert "Signer la fiche de décision" not in client.get(totale.get_absolute_url()).content.decode()
        client.post(reverse("jury:fiche_sign", kwargs={"pk": fiche.pk}))
        fiche.refresh_from_db()
        assert fiche.state == "brouillon"

        client.force_login(members["emp1"])
        assert "Signer la fiche de décision" in client.get(totale.get_absolute_url()).content.decode()
        mail.outbox.clear()
        with on_commit():
            for c in candidates:
                _ok(client.post(reverse("jury:fiche_sign", kwargs={"pk": c.current_fiche.pk})))

    outcomes = [c.current_fiche.outcome for c in candidates]
    assert outcomes == [Outcome.TOTALE, Outcome.PARTIELLE, Outcome.AUCUNE]
    for c in candidates:
        c.dossier.refresh_from_db()
        assert c.dossier.state == DossierState.DECIDE
        assert c.current_fiche.pdf_status == "ready"
    assert len(mail.outbox) == 3
    assert Certificate.objects.filter(dossier=totale.dossier).count() == 1
    assert not Certificate.objects.filter(dossier__in=[partielle.dossier, aucune.dossier]).exists()

    # The partial fiche lists the prescriptions and the approved centre.
    with partielle.current_fiche.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Maîtrise des risques en situation réelle" in text and "Institut de Formation Mutualiste" in text

    # The candidate downloads their fiche from their page.
    with at(2026, 11, 24):
        client.force_login(partielle.dossier.candidate)
        page = client.get(reverse("jury:my_jury")).content.decode()
        assert "Validation partielle" in page and "valable jusqu&#x27;au 23 novembre 2031" in page.replace(
            "'", "&#x27;"
        )
        response = client.get(reverse("jury:fiche_pdf", kwargs={"pk": partielle.current_fiche.pk}))
        assert response.status_code == 200

        # OEMM closes the session; every step is in the audit trail.
        client.force_login(oemm)
        _ok(client.post(reverse("jury:close", kwargs={"pk": session.pk})))
        session.refresh_from_db()
        assert session.state == SessionState.CLOSE
    actions = set(SessionEvent.objects.filter(session=session).values_list("action", flat=True))
    assert {
        "create_session",
        "add_member",
        "add_candidate",
        "send_convocation",
        "open_session",
        "designate_president",
        "declare_conflict",
        "record_deliberation",
        "sign_fiche",
        "close_session",
    } <= actions
