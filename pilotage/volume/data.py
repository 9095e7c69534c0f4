"""The invented names, places and proportions of the volume seeder, and its bulk insert."""

from candidates.enums import DossierState

DEMO_PASSWORD = "demo-cqp-2026"
BATCH = 2000

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Nadia",
    "Julien",
    "Karim",
    "Sophie",
    "Thomas",
    "Inès",
    "Hugo",
    "Chloé",
    "Yanis",
    "Manon",
    "Lucas",
    "Sarah",
    "Mehdi",
    "Emma",
    "Louis",
    "Aïcha",
    "Paul",
    "Claire",
    "Antoine",
    "Zoé",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
]
CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes", "Strasbourg", "Dijon"]
FUNCTIONS = [
    "Conseiller mutualiste",
    "Gestionnaire de prestations santé",
    "Chargé d'accueil",
    "Téléconseiller",
    "Gestionnaire de parcours",
    "Conseiller offres de services",
]

# Share of dossiers per state (the rest of the platform's life: most are open, a third decided).
STATE_WEIGHTS = [
    (DossierState.INSCRIT, 22),
    (DossierState.ORIENTE, 13),
    (DossierState.RECEVABLE, 15),
    (DossierState.PRET_JURY, 15),
    (DossierState.DECIDE, 30),
    (DossierState.CLOS, 5),
]
# The transitions that lead to each state (labels as in the workflow).
PATH_TO = {
    DossierState.INSCRIT: [],
    DossierState.ORIENTE: [("orient", DossierState.ORIENTE)],
    DossierState.RECEVABLE: [("orient", DossierState.ORIENTE), ("declare_recevable", DossierState.RECEVABLE)],
    DossierState.PRET_JURY: [
        ("orient", DossierState.ORIENTE),
        ("declare_recevable", DossierState.RECEVABLE),
        ("mark_ready_for_jury", DossierState.PRET_JURY),
    ],
    DossierState.DECIDE: [
        ("orient", DossierState.ORIENTE),
        ("declare_recevable", DossierState.RECEVABLE),
        ("mark_ready_for_jury", DossierState.PRET_JURY),
        ("record_decision", DossierState.DECIDE),
    ],
    DossierState.CLOS: [("close", DossierState.CLOS)],
}
PER_SESSION = 20


def bulk_insert(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)
