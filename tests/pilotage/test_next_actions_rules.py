"""« Prochaine action », one table per role (pilotage/next_actions/): plain facts in, actions out."""

import datetime

import pytest

from cqp.work_queues import QueueSummary, WorkQueue
from pilotage.next_actions.candidate import candidate_actions
from pilotage.next_actions.centre import centre_actions
from pilotage.next_actions.company import company_actions
from pilotage.next_actions.facts import DossierFacts, NextAction, PassageFact, SessionFact, UnitFact, sort_actions
from pilotage.next_actions.jury import dossier_jury_actions, session_actions
from pilotage.next_actions.oemm import dossier_oemm_actions, queue_actions

TODAY = datetime.date(2026, 12, 4)
D = datetime.date
N = "2026-000001"
UNITS = (UnitFact(11, 1, "Accueillir"), UnitFact(12, 2, "Conseiller"))
ORG, OTHER_ORG, ENT = 5, 6, 7
RH, EVAL1, EVAL2, TUTOR = 21, 22, 23, 24


def vae(**kw):
    base = {
        "number": N,
        "path": "vae",
        "state": "inscrit",
        "inscription_date": D(2026, 9, 1),
        "first_jury_deadline": D(2029, 9, 1),
        "candidate_name": "Camille Martin",
        "organisme_id": ORG,
        "livret2_due_months": 1,
    }
    return DossierFacts(**(base | kw))


def formation(**kw):
    base = {
        "path": "formation",
        "units": UNITS,
        "entreprise_id": ENT,
        "tutor_id": TUTOR,
        "evaluator_ids": {1: EVAL1, 2: EVAL2},
    }
    return vae(**(base | kw))


COMING = PassageFact(session_id=1, session_candidate_id=2, date=D(2027, 3, 10), start_time=datetime.time(9, 30))
OPEN = PassageFact(session_id=1, session_candidate_id=2, date=TODAY, session_state="ouverte", president_id=31)
DELIBERATED = PassageFact(
    session_id=1,
    session_candidate_id=2,
    date=TODAY,
    session_state="ouverte",
    president_id=31,
    fiche_id=3,
    fiche_state="brouillon",
    fiche_outcome="totale",
)
SIGNED = PassageFact(
    session_id=1,
    session_candidate_id=2,
    date=D(2026, 11, 10),
    session_state="close",
    fiche_id=3,
    fiche_state="signee",
    fiche_outcome="partielle",
    fiche_outcome_label="Validation partielle",
    fiche_signed_on=D(2026, 11, 10),
)
ALL_SIGNED = frozenset({(11, 1), (11, 2), (12, 1), (12, 2)})


def summary(actions):
    """(label start, url, due) of each action."""
    return [(a.label, a.url, a.due) for a in actions]


def one(actions):
    assert len(actions) == 1, actions
    return actions[0]


# ------------------------------------------------------------------ candidate


@pytest.mark.parametrize(
    ("facts", "label", "url", "due"),
    [
        (vae(), "Remplir et envoyer votre livret 1", f"/dossiers/{N}/#livret1", D(2029, 9, 1)),
        # The référentiel asks the entretien d'accueil before the livret 1 (seeds 001 to 003; not Ucanss).
        (
            vae(entretien_before_livret1=True),
            "Prenez rendez-vous pour votre entretien d'accueil",
            f"/dossiers/{N}/#entretien",
            D(2029, 9, 1),
        ),
        (
            vae(entretien_before_livret1=True, livret1_state="brouillon", entretien_state="en_cours"),
            "Terminez votre entretien d'accueil avec votre intervieweur, avant votre livret 1",
            f"/dossiers/{N}/#entretien",
            D(2029, 9, 1),
        ),
        (
            vae(entretien_before_livret1=True, entretien_state="valide"),
            "Remplir et envoyer votre livret 1",
            f"/dossiers/{N}/#livret1",
            D(2029, 9, 1),
        ),
        (vae(livret1_state="brouillon"), "Remplir et envoyer votre livret 1", f"/vae/{N}/livret1/", D(2029, 9, 1)),
        (
            vae(entretien_state="valide_interviewer"),
            "Relire et valider votre entretien d'accueil et d'orientation",
            f"/dossiers/{N}/entretien/",
            None,
        ),
        (
            vae(livret1_state="incomplet"),
            "Compléter votre livret 1 comme l'OEMM le demande, puis le renvoyer",
            f"/vae/{N}/livret1/",
            D(2029, 9, 1),
        ),
        (
            vae(state="recevable", livret1_state="recevable", livret1_valid_until=D(2028, 4, 1)),
            "Rédiger et envoyer votre livret 2",
            f"/dossiers/{N}/#livret2-title",
            D(2028, 4, 1),
        ),
        (
            vae(state="recevable", livret1_state="recevable", livret2_state="brouillon", passage=COMING),
            "Envoyer votre livret 2",
            f"/vae/{N}/livret2/",
            D(2027, 2, 10),
        ),
        (
            vae(state="recevable", livret1_state="recevable", livret1_valid_until=D(2026, 11, 1)),
            "Votre recevabilité a expiré : demander sa prorogation ou son renouvellement",
            f"/dossiers/{N}/#livret1",
            None,
        ),
        (
            vae(state="pret_jury", livret2_state="recu", passage=COMING),
            "Vous présenter au jury à 09:30",
            "/jury/sessions/mon-jury/",
            D(2027, 3, 10),
        ),
        (
            vae(state="decide", passage=SIGNED),
            "Consulter la décision du jury (validation partielle)",
            "/jury/sessions/mon-jury/",
            D(2026, 11, 10),
        ),
        (
            vae(state="complement", livret2_state="brouillon", passage=SIGNED),
            "Compléter votre livret 2 pour les unités à présenter",
            f"/vae/{N}/livret2/",
            None,
        ),
        (
            formation(state="complement", passage=SIGNED),
            "Rédiger et signer votre partie du livret d'évaluation finale pour les unités à présenter",
            f"/dossiers/{N}/formation/evaluation-finale/candidat/",
            None,
        ),
        (
            formation(state="oriente", formative_signed=frozenset({11, 12})),
            "Rédiger et signer votre partie du livret d'évaluation finale",
            f"/dossiers/{N}/formation/evaluation-finale/candidat/",
            D(2029, 9, 1),
        ),
        (
            formation(state="pret_jury", livret_evaluation_transmitted_on=D(2026, 11, 2), passage=COMING),
            "Vous présenter au jury",
            "/jury/sessions/mon-jury/",
            D(2027, 3, 10),
        ),
    ],
)
def test_candidate_next_action(facts, label, url, due):
    action = one(candidate_actions(facts, TODAY))
    assert action.label.startswith(label)
    assert (action.url, action.due) == (url, due)
    assert action.subject == f"Dossier {N}"


@pytest.mark.parametrize(
    "facts",
    [
        vae(livret1_state="soumis"),  # the OEMM instructs
        vae(state="recevable", livret1_state="recevable", livret2_state="soumis"),  # the OEMM acknowledges
        vae(state="pret_jury", livret2_state="recu"),  # waiting for a session
        vae(state="clos"),
        formation(),  # the company runs the entretien
        formation(state="oriente", formative_signed=frozenset({11})),  # training in progress
        formation(state="oriente", formative_signed=frozenset({11, 12}), candidate_part_signed_on=D(2026, 11, 1)),
        vae(state="pret_jury", livret2_state="recu", passage=DELIBERATED),  # the jury deliberates
        vae(state="complement", livret2_state="soumis", passage=SIGNED),  # the OEMM acknowledges the completed livret
        formation(state="complement", passage=SIGNED, candidate_part_signed_on=D(2026, 11, 20)),  # evaluators assess
    ],
)
def test_candidate_has_nothing_to_do_while_others_act(facts):
    assert candidate_actions(facts, TODAY) == []


def test_candidate_overdue_livret2():
    late = PassageFact(session_id=1, session_candidate_id=2, date=D(2026, 12, 20))
    action = one(candidate_actions(vae(state="recevable", livret1_state="recevable", passage=late), TODAY))
    assert action.due == D(2026, 11, 20) and action.overdue


# ------------------------------------------------------------------ training centre


@pytest.mark.parametrize(
    ("facts", "organisme", "expected"),
    [
        (vae(), ORG, [("Conduire l'entretien d'accueil et d'orientation", f"/dossiers/{N}/entretien/saisie/", None)]),
        (
            vae(entretien_state="en_cours"),
            ORG,
            [("Terminer et valider l'entretien d'accueil et d'orientation", f"/dossiers/{N}/entretien/saisie/", None)],
        ),
        (vae(), OTHER_ORG, []),
        (vae(entretien_state="valide_interviewer"), ORG, []),  # the candidate validates
        (vae(state="oriente", entretien_state="valide"), ORG, []),
        (
            vae(state="recevable", convention_state="proposee", convention_organisme_id=OTHER_ORG),
            OTHER_ORG,
            [("Examiner et accepter la convention d'accompagnement VAE", f"/vae/{N}/accompagnement/", None)],
        ),
        (
            vae(
                state="recevable",
                convention_state="proposee",
                convention_organisme_id=ORG,
                convention_organisme_accepted=True,
            ),
            ORG,
            [],
        ),
        (
            vae(state="recevable", convention_state="acceptee", convention_organisme_id=ORG, passage=COMING),
            ORG,
            [("Accompagner la rédaction du livret 2", f"/vae/{N}/accompagnement/", D(2027, 2, 10))],
        ),
        (
            vae(state="recevable", convention_state="acceptee", convention_organisme_id=ORG, livret2_state="soumis"),
            ORG,
            [],
        ),
        (
            formation(state="oriente"),
            ORG,
            [
                (
                    "Enregistrer le parcours de formation (modules, dates, heures) dans le livret de suivi",
                    f"/dossiers/{N}/formation/livret-suivi/",
                    None,
                )
            ],
        ),
        (
            formation(state="oriente", suivi_hours=100, formative_signed=frozenset({11})),
            ORG,
            [
                (
                    "Accompagner la formation : évaluation formative à enregistrer pour unité 2 (1 sur 2 signées)",
                    f"/dossiers/{N}/formation/livret-suivi/",
                    None,
                )
            ],
        ),
        (formation(state="oriente", suivi_hours=100, formative_signed=frozenset({11, 12})), ORG, []),
        (vae(state="decide", passage=SIGNED), ORG, []),
    ],
)
def test_centre_next_actions(facts, organisme, expected):
    assert summary(centre_actions(facts, organisme, TODAY)) == expected


# ------------------------------------------------------------------ company: RH and evaluators

DESIGNATE = ("Désigner le tuteur et les deux évaluateurs", f"/dossiers/{N}/formation/designations/", None)
TRANSMIT = (
    "Transmettre le livret d'évaluation finale à l'OEMM",
    f"/dossiers/{N}/formation/evaluation-finale/",
    None,
)
COMPLETE = {
    "state": "oriente",
    "candidate_part_signed_on": D(2026, 11, 1),
    "evaluator_signed": {1: True, 2: True},
    "assessments_signed": ALL_SIGNED,
}


@pytest.mark.parametrize(
    ("facts", "user_id", "is_rh", "expected"),
    [
        (formation(tutor_id=None, evaluator_ids={}), RH, True, [DESIGNATE]),
        (formation(evaluator_ids={1: EVAL1, 2: None}), RH, True, [DESIGNATE]),
        (formation(tutor_id=None, evaluator_ids={}), EVAL1, False, []),  # not the RH
        (
            formation(organisme_id=None),
            RH,
            True,
            [("Conduire l'entretien d'accueil et d'orientation", f"/dossiers/{N}/entretien/saisie/", None)],
        ),
        (formation(), RH, True, []),  # the centre runs the entretien
        (formation(state="oriente"), RH, True, []),  # evaluations under way
        (formation(**COMPLETE), RH, True, [TRANSMIT]),
        (formation(**(COMPLETE | {"passage": COMING})), RH, True, [TRANSMIT[:2] + (D(2027, 2, 10),)]),
        (formation(**(COMPLETE | {"livret_evaluation_transmitted_on": D(2026, 11, 2)})), RH, True, []),
        (
            formation(state="oriente"),
            EVAL1,
            False,
            [
                (
                    "Évaluer : unité 1, Accueillir (et 1 autre)",
                    f"/dossiers/{N}/formation/evaluation-finale/unite/11/evaluateur/1/",
                    None,
                )
            ],
        ),
        (
            formation(state="oriente", assessments_signed=frozenset({(11, 2)})),
            EVAL2,
            False,
            [
                (
                    "Évaluer : unité 2, Conseiller",
                    f"/dossiers/{N}/formation/evaluation-finale/unite/12/evaluateur/2/",
                    None,
                )
            ],
        ),
        (
            formation(state="oriente", assessments_signed=ALL_SIGNED, evaluator_signed={1: True, 2: False}),
            EVAL2,
            False,
            [("Signer la fiche de synthèse et l'attestation", f"/dossiers/{N}/formation/evaluation-finale/", None)],
        ),
        (formation(state="oriente", assessments_signed=ALL_SIGNED, evaluator_signed={1: True}), EVAL1, False, []),
        (formation(state="inscrit"), EVAL1, False, []),  # the livret opens after the entretien
        (formation(state="oriente"), TUTOR, False, []),
        (vae(entreprise_id=ENT), RH, True, []),
    ],
)
def test_company_next_actions(facts, user_id, is_rh, expected):
    assert summary(company_actions(facts, user_id=user_id, is_rh=is_rh, today=TODAY)) == expected


# ------------------------------------------------------------------ jury members and president


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        (
            SessionFact(id=4, date=D(2027, 1, 6), candidates=3),
            [("Lire les dossiers des 3 candidats de la session", "/jury/sessions/4/", D(2027, 1, 6))],
        ),
        (
            SessionFact(id=4, date=D(2027, 1, 6), candidates=1),
            [("Lire le dossier du candidat de la session", "/jury/sessions/4/", D(2027, 1, 6))],
        ),
        (SessionFact(id=4, date=D(2027, 1, 6), candidates=0), []),
        (SessionFact(id=4, date=D(2026, 11, 6), candidates=2), []),  # past, never opened: the OEMM's
        (
            SessionFact(id=4, date=TODAY, state="ouverte", candidates=2),
            [("Siéger à la session, ouverte", "/jury/sessions/4/", TODAY)],
        ),
        (
            SessionFact(
                id=4,
                date=TODAY,
                state="ouverte",
                is_president=True,
                candidates=3,
                to_deliberate=((8, "Camille Martin"), (9, "Lou Bernard")),
                to_sign=((7, "Alex Petit"),),
            ),
            [
                ("Délibérer : Camille Martin (et 1 autre)", "/jury/sessions/4/candidats/8/#deliberation", TODAY),
                ("Signer la fiche de décision de Alex Petit", "/jury/sessions/4/candidats/7/#deliberation", TODAY),
            ],
        ),
        (SessionFact(id=4, date=TODAY, state="ouverte", is_president=True, candidates=1), []),  # all signed
        (SessionFact(id=4, date=D(2026, 11, 6), state="close", is_president=True, candidates=1), []),
    ],
)
def test_jury_session_actions(session, expected):
    assert summary(session_actions(session, TODAY)) == expected


@pytest.mark.parametrize(
    ("passage", "is_president", "expected"),
    [
        (None, False, []),
        (COMING, False, [("Lire ce dossier avant la session", "/jury/sessions/1/candidats/2/", D(2027, 3, 10))]),
        (OPEN, True, [("Délibérer", "/jury/sessions/1/candidats/2/#deliberation", TODAY)]),
        (DELIBERATED, True, [("Signer la fiche de décision", "/jury/sessions/1/candidats/2/#deliberation", TODAY)]),
        (DELIBERATED, False, []),
        (SIGNED, True, []),
    ],
)
def test_jury_dossier_actions(passage, is_president, expected):
    facts = vae(state="pret_jury", passage=passage)
    assert summary(dossier_jury_actions(facts, is_president=is_president, today=TODAY)) == expected


# ------------------------------------------------------------------ OEMM


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            vae(livret1_state="soumis", livret1_instruction_deadline=D(2027, 1, 20)),
            [("Instruire la demande de recevabilité (livret 1)", f"/vae/{N}/livret1/instruction/", D(2027, 1, 20))],
        ),
        (
            vae(state="recevable", livret2_state="soumis", passage=COMING),
            [("Enregistrer la réception du livret 2", f"/vae/{N}/livret2/", D(2027, 2, 10))],
        ),
        (
            formation(state="oriente", livret_evaluation_transmitted_on=D(2026, 11, 2)),
            [
                (
                    "Déclarer le dossier prêt pour le jury (livret d'évaluation finale transmis)",
                    f"/dossiers/{N}/#voie-formative",
                    None,
                )
            ],
        ),
        (
            vae(state="pret_jury", livret2_state="recu"),
            [("Placer le dossier dans une session de jury", "/jury/sessions/", D(2029, 9, 1))],
        ),
        (
            vae(state="pret_jury", livret2_state="recu", target_units=(1,), to_commission=True),
            [("Placer le dossier dans une session de la commission paritaire", "/jury/sessions/", D(2029, 9, 1))],
        ),
        (vae(state="pret_jury", livret2_state="recu", passage=COMING), []),
        (
            vae(first_jury_deadline=D(2026, 11, 1)),
            [
                (
                    "Délai de première présentation au jury dépassé : clore le dossier ou prolonger le délai",
                    f"/dossiers/{N}/prolonger/",
                    D(2026, 11, 1),
                )
            ],
        ),
        (vae(), []),
        (vae(state="decide", passage=SIGNED), []),
    ],
)
def test_oemm_dossier_actions(facts, expected):
    assert summary(dossier_oemm_actions(facts, TODAY)) == expected


def test_oemm_actions_are_the_cockpit_queues_that_hold_something():
    def queue(key, label, action=""):
        return WorkQueue(
            key=key, label=label, group="Recevabilité", summarize=None, url=lambda: f"/oemm/files/{key}/", action=action
        )

    rows = [
        (queue("a", "Livrets 1 à instruire", "Instruire"), QueueSummary(count=3, deadline=D(2026, 12, 1), overdue=1)),
        (queue("b", "Livrets 2 à réceptionner"), QueueSummary(count=0)),
        (queue("c", "Sessions à composer"), QueueSummary(count=2)),
    ]
    actions = queue_actions(rows, TODAY)
    assert summary(actions) == [
        ("Livrets 1 à instruire : 3, dont 1 en retard", "/oemm/files/a/", D(2026, 12, 1)),
        ("Sessions à composer : 2", "/oemm/files/c/", None),
    ]
    assert actions[0].button == "Instruire" and actions[0].overdue
    assert actions[1].button == "Ouvrir la file"


def test_sort_puts_dated_actions_first_nearest_first():
    a = NextAction("a", "/a", "A")
    b = NextAction("b", "/b", "B", due=D(2027, 1, 1))
    c = NextAction("c", "/c", "C", due=D(2026, 12, 10))
    assert [x.label for x in sort_actions([a, b, c])] == ["c", "b", "a"]
