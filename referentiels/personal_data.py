"""The référentiels hold no personal data: their text fields are declared here (tests/test_personal_data_registry.py).
This module imports nothing: référentiels sit below every other app."""

PUBLISHED = "contenu d'un référentiel publié, le même pour tous les candidats"

NON_PERSONAL = [
    ("Certification", ["code", "title", "rncp"], PUBLISHED),
    (
        "ReferentielVersion",
        [
            "content_hash",
            "source_file",
            "sources",
            "summary",
            "experience_sector",
            "entretien_introduction",
            "livret2_introduction",
            "livret2_guidance",
            "livret2_motivation",
            "livret2_documents",
            "livret2_platform_note",
            "target_rules",
            "jury_presentation_topics",
        ],
        PUBLISHED,
    ),
    ("Mention", ["code", "label"], PUBLISHED),
    ("Prerequisite", ["text"], PUBLISHED),
    (
        "Unit",
        [
            "title",
            "description",
            "activities",
            "evaluation_modality",
            "livret2_instructions",
            "livret2_bloc_questions",
            "final_questions",
        ],
        PUBLISHED,
    ),
    ("Competence", ["activity", "text", "questions"], PUBLISHED),
    ("Knowledge", ["text"], PUBLISHED),
    ("Criterion", ["group", "text"], PUBLISHED),
    ("Livret2Question", ["text"], PUBLISHED),
    # The certifier's institutional identity, printed on its official documents; a signatory is named in their
    # capacity (a title, optionally a name the certifier chooses to print), not as a person the platform serves.
    (
        "Certifier",
        [
            "code",
            "name",
            "designation",
            "long_name",
            "operator",
            "operator_long_name",
            "contact_label",
            "address",
            "email",
            "phone",
            "website",
            "logo",
            "legal_mentions",
            "legal_basis",
            "recevabilite_body",
            "recevabilite_wording",
            "jury_label",
            "jury_colleges",
            "signatories",
            "dossier_transmission",
            "reminder_sender_name",
            "reminder_sender_email",
        ],
        "identité institutionnelle du certificateur, imprimée sur ses documents officiels",
    ),
]
