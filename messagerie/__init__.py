"""Messages on a dossier between the candidate, their centre / accompagnateur, their company and the OEMM."""
