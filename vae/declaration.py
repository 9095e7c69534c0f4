"""The sworn statement of the livret 1 (cerfa 12818*02), shown on its page and printed in its PDF."""


def declaration_text(livret) -> dict:
    """Seed 000 L20-30, verbatim; the CQP of the dossier in place of the CQP named in the seed, and the legal texts of
    its certifier (CPNEFP: décret n° 2002-615, the seed's « 2000-615 » being a typo; Ucanss: seed 004's texts)."""
    cqp = livret.dossier.certification.title
    legal_basis = livret.dossier.certification.certifier.legal_basis
    return {
        "honour": (
            "Déclare sur l'honneur que les informations fournies sont exactes et que j'ai renseigné "
            "moi-même ce dossier."
        ),
        "demand": f"Demande de validation des acquis de mon expérience pour l'obtention du certificat de qualification "
        f"professionnelle de {cqp}.",
        "commitment": f"M'engage, conformément au {legal_basis}, à ne déposer qu'une seule demande "
        f"en vue de l'obtention du CQP {cqp} et de ne pas déposer plus de trois demandes de Validation des "
        f"Acquis de l'Expérience pour des diplômes ou titres différents pendant l'année civile en cours.",
    }
