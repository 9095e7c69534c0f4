"""Dates typed in the livret 1 (issue 14): a start or an end in the future, an end before the start, a date before
1950 get a French message at the field on each autosave (the draft keeps what was typed, the section says why), and
sending is refused with the list of what to fix. Frozen time."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from vae import workflow
from vae.workflow.livret1 import IncompleteLivretError

from .conftest import complete, post_data

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


def save(client, livret, **overrides):
    response = client.post(
        reverse("vae:livret1_save", args=[livret.dossier.number]),
        post_data(livret, **overrides),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def field_message(content, field_id):
    match = re.search(rf'<div id="msg-{field_id}"[^>]*>(.*?)</div>', content, re.S)
    assert match, field_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"experiences-0-start": "2026-12-01"}, "id_experiences-0-start", "La date de début est dans le futur"),
        ({"experiences-0-end": "2026-11-25"}, "id_experiences-0-end", "La date de fin est dans le futur"),
        (
            {"experiences-0-start": "2024-03-01", "experiences-0-end": "2024-02-29"},
            "id_experiences-0-end",
            "La date de fin précède la date de début.",
        ),
        ({"experiences-0-start": "1949-12-31"}, "id_experiences-0-start", "Date antérieure à 1950"),
        ({"birth_date": "1949-06-01"}, "id_birth_date", "Date antérieure à 1950"),
        ({"declaration_date": "2026-11-25"}, "id_declaration_date", "La date de la déclaration est dans le futur."),
    ],
)
def test_a_wrong_date_is_named_at_its_field_kept_and_blocks_sending(
    client, livret, candidat, overrides, field, message
):
    client.force_login(candidat)
    livret = complete(livret, candidat)  # pieces joined, every section filled: only the date is wrong
    livret.refresh_from_db()
    content = save(client, livret, **overrides)
    # Saved (nothing typed is lost), with the reason at the field, in the status and at the section.
    assert "Enregistré à" in content
    assert message in field_message(content, field)
    assert "Saisies conservées dans la page mais non valides" in content and message in content
    assert "Dates à corriger avant l'envoi" in content and 'id="dates-' in content
    livret.refresh_from_db()
    stored = {
        "id_birth_date": lambda: livret.birth_date,
        "id_declaration_date": lambda: livret.declaration_date,
        "id_experiences-0-start": lambda: livret.experiences.get().start,
        "id_experiences-0-end": lambda: livret.experiences.get().end,
    }[field]()
    typed = {**post_data(livret), **overrides}[field.removeprefix("id_")]
    assert stored.isoformat() == typed
    # The page shown again keeps the date and its message.
    page = html.unescape(client.get(reverse("vae:livret1", args=[livret.dossier.number])).content.decode())
    assert message in field_message(page, field) and f'value="{typed}"' in page
    # Sending is refused with the list of what to fix.
    response = client.post(reverse("vae:livret1_submit", args=[livret.dossier.number]), {"confirm": "on"})
    assert response.status_code == 200 and message in html.unescape(response.content.decode())
    with pytest.raises(IncompleteLivretError) as exc:
        workflow.submit_livret1(livret, by=candidat)
    assert any(message in line for lines in exc.value.missing.values() for line in lines)


@time_machine.travel(NOW, tick=False)
def test_a_correct_draft_has_empty_messages_and_counts_en_cours_until_today(client, livret, candidat):
    client.force_login(candidat)
    content = save(client, livret, **{"experiences-0-start": "2025-11-25", "experiences-0-end": ""})
    assert field_message(content, "id_experiences-0-start") == ""
    assert field_message(content, "id_experiences-0-end") == ""
    assert "Dates à corriger" not in content and "1 an" in content and "La durée minimale est atteinte." in content
    content = save(client, livret, **{"experiences-0-start": "2025-11-26", "experiences-0-end": "", "version": "2"})
    assert "11 mois et 30 jours" in content and "Il manque 1 jour." in content
