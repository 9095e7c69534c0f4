"""The entretien d'accueil's booking in the candidate's next actions (table test)."""

import datetime

import pytest

from pilotage.next_actions.candidate import candidate_actions

from .test_next_actions_rules import TODAY, one, vae


@pytest.mark.parametrize(
    "facts, label",
    [
        (vae(entretien_before_livret1=True, entretien_slots_open=True), "Réservez votre entretien d'accueil"),
        (
            vae(entretien_before_livret1=True, entretien_slot_at=datetime.datetime(2026, 12, 10, 10, 0)),
            "Entretien le 10 décembre 2026 à 10 h",
        ),
    ],
)
def test_a_slot_to_book_or_booked_replaces_take_an_appointment(facts, label):
    action = one(candidate_actions(facts, TODAY))  # not « Prenez rendez-vous … » as well
    assert action.label.startswith(label) and action.url == "/dossiers/mon-entretien/"
