"""The register of certified holders (« accrochage certificateur »): since 1 July 2021 a certifier transmits the data
of each person it certified to the Caisse des Dépôts within three months. sync.py fills it from signed fiches,
formats.py writes the file (CSV now, the Caisse des Dépôts' XML flow behind the same interface), views.py."""
