"""Informational content quoted from the seeds, written once as data (not in the YAML: its strict schema and content
hash would make new référentiel versions for text that is not part of the référentiel).

Each entry carries its ``source`` (the guide it is quoted from), shown with it. ``for_certification(certification)``
returns the entries that apply to a CQP (by its certifier: the branch's texts only apply to the CPNEFP Mutualité's
CQPs; the Ucanss seed 004 says nothing of the kind).

Sources: seed 001 (CPNEFP Mutualité, guide des CQP, édition 2014) and seed 002 (édition 2013), rules.md §3, §10, §14.
"""

from dataclasses import dataclass, field

from .enums import CertifierCode

GUIDE_PARTIE_1 = "Guides des CQP de la CPNEFP Mutualité (éditions 2013 et 2014), Partie 1, « 1.4 Remarques »"
GUIDE_TUTEUR = "Guide des CQP de la CPNEFP Mutualité (édition 2014), « guide du tuteur »"
GUIDE_ENTRETIEN = "Guide d'entretien d'accueil et d'orientation de la CPNEFP Mutualité (édition 2014)"


@dataclass(frozen=True)
class Info:
    key: str
    title: str
    lines: tuple  # paragraphs or list items, quoted from the seed
    source: str
    note: str = ""  # the platform's own remark (a choice it made), shown in small print
    items: tuple = field(default=())


# Seed 001 L174-176 and seed 002 L83. The point value differs between the editions (rules.md contradiction 7:
# 7,97 € in 2013, 7,99 € in 2014); both are old, so the platform shows the points only.
GRATIFICATION = Info(
    key="gratification",
    title="Gratification",
    lines=(
        "« Les partenaires sociaux ont décidé qu'une gratification de 120 points […] serait attribuée à toute "
        "personne ayant obtenu un CQP de la branche. »",
    ),
    source=GUIDE_PARTIE_1,
    note="La valeur du point n'est pas indiquée : elle est révisée chaque année et les guides ne donnent que des "
    "valeurs anciennes (7,97 € en 2013, 7,99 € en 2014). Renseignez-vous auprès de votre employeur.",
)

# Seed 001 L178-181 and seed 002 L83.
NO_EQUIVALENCE = Info(
    key="equivalence",
    title="Pas d'équivalence avec un diplôme",
    lines=(
        "« L'obtention d'un CQP ne permet pas de bénéficier d'une équivalence avec un niveau de la nomenclature du "
        "Ministère de l'Education Nationale. Il n'y a donc pas de passerelle avec des diplômes à l'heure actuelle, "
        "même si la Branche s'attache à en rechercher. »",
    ),
    source=GUIDE_PARTIE_1,
)

# Seed 001 L368-387 and seed 002 L91 (rules.md §10).
TUTOR_MISSIONS = Info(
    key="missions",
    title="Les missions du tuteur",
    lines=("« Les missions tutorales sont les suivantes : »",),
    items=(
        "accueillir les candidats dans le service et / ou l'entreprise (pour les nouveaux entrants ou les salariés "
        "en cours de changement de métier) ;",
        "les informer et les guider dans la prise en main de leur nouveau métier ;",
        "organiser avec les salariés concernés l'activité des candidats dans l'entreprise et contribuer à "
        "l'acquisition des savoir-faire professionnels ;",
        "assurer la liaison avec le centre de formation et le jury d'évaluation final ;",
        "effectuer des évaluations intermédiaires donnant lieu à la formulation d'objectifs de progression ;",
        "s'assurer que les candidats ont rempli les parties les concernant dans le livret d'évaluation finale en "
        "entreprise ;",
        "évaluer les compétences acquises par le candidat et renseigner le livret d'évaluation finale en entreprise "
        "sur la base des critères définis par la CPNEFP.",
    ),
    source=GUIDE_TUTEUR,
)

# Seed 001 L2535-2558: the phases of the formation en entreprise (the seed draws them as a staircase, 6 at the top).
TUTOR_PHASES = Info(
    key="phases",
    title="Les phases de progression",
    lines=(
        "« La formation en entreprise […] sera d'autant plus efficace, mieux ciblée et mieux suivie qu'elle fera "
        "l'objet de phases de progression clairement identifiées. A partir de la phase 6, le candidat peut être "
        "présenté pour une évaluation finale en entreprise, puis devant le jury. »",
    ),
    items=(
        "1 – Je repère ce que la personne sait déjà faire",
        "2 – Je fixe des objectifs à atteindre",
        "3 – La personne découvre les activités et commence à pratiquer",
        "4 – La personne réalise certaines activités en autonomie, repère ce qu'elle fait correctement et les points "
        "sur lesquels elle doit progresser",
        "5 – La personne rencontre des situations nouvelles, comprend les mécanismes, gère des incidents, agit mieux "
        "et plus rapidement",
        "6 – Les compétences acquises peuvent être évaluées",
    ),
    source=GUIDE_TUTEUR,
)

# Seed 001 L1369-1370 (rules.md §3): shown to the interviewer when a unit is oriented to the VAE or the dossier is
# on the VAE path.
VAE_REMINDER = Info(
    key="vae_reminder",
    title="Rappel",
    lines=(
        "Vous n'êtes en aucune manière en situation d'inciter le candidat à ne pas déposer sa demande de VAE, dès "
        "lors que celui-ci répond aux critères de recevabilité.",
    ),
    source=GUIDE_ENTRETIEN,
)

CANDIDATE_INFO = (GRATIFICATION, NO_EQUIVALENCE)
TUTOR_INFO = (TUTOR_MISSIONS, TUTOR_PHASES)
BRANCH_CERTIFIERS = {CertifierCode.CPNEFP_MUTUALITE}


def applies_to(certification) -> bool:
    """The branch's texts apply to the CQPs of the CPNEFP Mutualité only."""
    return certification is not None and certification.certifier.code in BRANCH_CERTIFIERS


def candidate_info(certification) -> tuple:
    """What a candidate (and the public page) is told about a CQP: gratification, no diploma equivalence."""
    return CANDIDATE_INFO if applies_to(certification) else ()


def tutor_info(certification) -> tuple:
    return TUTOR_INFO if applies_to(certification) else ()


# Content the platform wrote where the seeds have none, by CQP code and place: the page says so in one line. (The
# livret 2 questions of SPSP and CMI carry their note in the YAML, ``livret2.platform_note``.)
PLATFORM_NOTES = {
    "cos": {
        "entretien": "Le guide de ce CQP ne comporte pas de guide d'entretien : l'échelle d'appréciation "
        "(Oui / Non / Partiellement) et la trame de l'entretien sont celles de la plateforme.",
        "livret2": "Les deux questions posées pour chaque situation ont été rédigées pour la plateforme à partir de la "
        "consigne du guide (« Vous exposerez la situation … »).",
    },
}


def platform_note(certification, place: str) -> str:
    if certification is None:
        return ""
    return PLATFORM_NOTES.get(certification.code.lower(), {}).get(place, "")
