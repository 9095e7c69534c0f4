"""The step tracker of a dossier (pilotage/next_actions/steps.py): plain facts in, steps out, one row per state."""

import datetime

import pytest

from pilotage.next_actions.facts import DossierFacts, PassageFact, UnitFact
from pilotage.next_actions.steps import current_step, dossier_steps

TODAY = datetime.date(2026, 12, 4)
D = datetime.date
UNITS = (UnitFact(11, 1, "Accueillir"), UnitFact(12, 2, "Conseiller"))


def vae(**kw):
    base = {
        "number": "2026-000001",
        "path": "vae",
        "state": "inscrit",
        "inscription_date": D(2026, 9, 1),
        "first_jury_deadline": D(2029, 9, 1),
    }
    return DossierFacts(**(base | kw))


def formation(**kw):
    return vae(path="formation", units=UNITS, **kw)


def statuses(facts):
    return "".join(
        {"done": "x", "current": ">", "upcoming": ".", "skipped": "-"}[s.status] for s in dossier_steps(facts, TODAY)
    )


SESSION = PassageFact(session_id=1, session_candidate_id=2, date=D(2027, 3, 10), start_time=datetime.time(9, 30))
SIGNED = PassageFact(
    session_id=1,
    session_candidate_id=2,
    date=D(2026, 11, 10),
    session_state="close",
    attendance="present",
    fiche_id=3,
    fiche_state="signee",
    fiche_outcome="partielle",
    fiche_outcome_label="Validation partielle",
    fiche_signed_on=D(2026, 11, 10),
)


@pytest.mark.parametrize(
    ("facts", "expected", "current"),
    [
        (vae(), "x>.....", "entretien"),
        (vae(entretien_state="en_cours"), "x>.....", "entretien"),
        (vae(state="oriente", entretien_state="valide", entretien_validated_on=D(2026, 9, 10)), "xx>....", "livret1"),
        (vae(state="oriente", entretien_state="valide", livret1_state="brouillon"), "xx>....", "livret1"),
        (vae(state="oriente", entretien_state="valide", livret1_state="incomplet"), "xx>....", "livret1"),
        (vae(state="oriente", entretien_state="valide", livret1_state="soumis"), "xxx>...", "recevabilite"),
        (vae(livret1_state="soumis"), "x-x>...", "recevabilite"),  # no entretien: shown as not done
        (vae(state="recevable", entretien_state="valide", livret1_state="recevable"), "xxxx>..", "livret2"),
        (
            vae(state="recevable", livret1_state="recevable", livret2_state="brouillon", passage=SESSION),
            "x-xx>..",
            "livret2",
        ),
        (
            vae(state="pret_jury", entretien_state="valide", livret1_state="recevable", livret2_state="recu"),
            "xxxxx>.",
            "jury",
        ),
        (vae(state="pret_jury", entretien_state="valide", livret2_state="recu", passage=SESSION), "xxxxx>.", "jury"),
        (vae(state="decide", entretien_state="valide", passage=SIGNED), "xxxxxxx", None),
        (vae(state="clos", livret1_state="non_recevable"), "x-x----", None),
        (formation(), "x>.....", "entretien"),
        (formation(state="oriente"), "xx>....", "parcours"),
        (formation(state="oriente", suivi_hours=120), "xxx>...", "suivi"),
        (formation(state="oriente", suivi_hours=120, formative_signed=frozenset({11})), "xxx>...", "suivi"),
        (formation(state="oriente", suivi_hours=120, formative_signed=frozenset({11, 12})), "xxxx>..", "evaluation"),
        (formation(state="oriente", livret_evaluation_transmitted_on=D(2026, 11, 2)), "xxxxx>.", "jury"),
        (formation(state="pret_jury", passage=SESSION), "xxxxx>.", "jury"),
        (formation(state="decide", passage=SIGNED), "xxxxxxx", None),
    ],
)
def test_steps_by_state(facts, expected, current):
    steps = dossier_steps(facts, TODAY)
    assert statuses(facts) == expected
    assert (current_step(steps).key if current_step(steps) else None) == current
    assert sum(s.status == "current" for s in steps) <= 1


def test_vae_and_formation_paths_name_their_steps():
    assert [s.label for s in dossier_steps(vae(), TODAY)] == [
        "Inscription",
        "Entretien d'accueil",
        "Livret 1",
        "Recevabilité",
        "Livret 2",
        "Jury",
        "Décision",
    ]
    assert [s.label for s in dossier_steps(formation(), TODAY)] == [
        "Inscription",
        "Entretien d'accueil",
        "Parcours de formation",
        "Suivi de la formation",
        "Évaluation finale",
        "Jury",
        "Décision",
    ]


def test_dates_and_details():
    facts = vae(
        state="recevable",
        entretien_state="valide",
        entretien_validated_on=D(2026, 9, 10),
        livret1_state="recevable",
        livret1_sent_on=D(2026, 9, 20),
        livret1_decided_on=D(2026, 10, 1),
        livret1_valid_until=D(2028, 4, 1),
        passage=SESSION,
        livret2_due_months=1,
    )
    steps = {s.key: s for s in dossier_steps(facts, TODAY)}
    assert steps["inscription"].date == D(2026, 9, 1)
    assert steps["entretien"].date == D(2026, 9, 10)
    assert steps["livret1"].date == D(2026, 9, 20)
    assert steps["recevabilite"].date == D(2026, 10, 1)
    assert steps["recevabilite"].detail == "Valable jusqu'au 1er avril 2028"
    assert steps["livret2"].detail == "À envoyer avant le 10 février 2027"
    decided = {s.key: s for s in dossier_steps(vae(state="decide", passage=SIGNED), TODAY)}
    assert decided["decision"].date == D(2026, 11, 10)
    assert decided["decision"].detail == "Validation partielle"
    assert decided["jury"].date == D(2026, 11, 10)
    waiting = {
        s.key: s
        for s in dossier_steps(vae(livret1_state="soumis", livret1_instruction_deadline=D(2026, 12, 20)), TODAY)
    }
    assert waiting["recevabilite"].detail == "Décision attendue au plus tard le 20 décembre 2026"


def test_formation_progress_details():
    facts = formation(state="oriente", suivi_hours=120, formative_signed=frozenset({11}))
    steps = {s.key: s for s in dossier_steps(facts, TODAY)}
    assert steps["parcours"].detail == "120 h de formation enregistrées"
    assert steps["suivi"].detail == "1 sur 2 évaluations formatives signées"


def test_a_dossier_for_the_commission_paritaire_names_it_in_its_steps():
    facts = vae(state="pret_jury", livret1_state="recevable", livret2_state="recu", to_commission=True)
    step = current_step(dossier_steps(facts, TODAY))
    assert (step.key, step.label, step.detail) == (
        "jury",
        "Commission paritaire",
        "En attente d'une session de la commission paritaire",
    )
    plain = current_step(dossier_steps(vae(state="pret_jury", livret1_state="recevable", livret2_state="recu"), TODAY))
    assert (plain.label, plain.detail) == ("Jury", "En attente d'une session de jury")
