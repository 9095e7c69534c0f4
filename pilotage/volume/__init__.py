"""Realistic volume for benchmarks: thousands of candidates, dossiers, livrets, jury sessions, in bulk.

``python manage.py seed_volume --candidates 10000`` (or ``seed_demo --candidates 10000``) creates, with
``bulk_create`` and no workflow function (no e-mail, no history rows), in one transaction:

- N candidates (users with the candidate role, the demo password), spread over the four CQPs and both paths;
- N dossiers in varied states (inscrit ... décidé, clos), each with its audit trail (DossierEvent);
- a livret 1 with text (état civil, situation, diplômes, one or two experiences) for VAE dossiers, when
  ``vae.models`` provides it (imported defensively: fields it does not know are skipped);
- jury sessions (200 for 10,000 candidates): past closed ones holding the decided dossiers (20 each, with
  members, convocations, signed fiches de décision, unit decisions, validated units, certificates), planned
  ones holding the dossiers ready for the jury, and one open session today, chaired by the demo jury;
- sent reminder rows (first-jury reminders of the open dossiers).

Each run adds a new batch (e-mails ``candidat-<batch>-<i>@volume.cqp``), so it can be run again.
``--light`` creates only candidates, open dossiers and their first event (used for the 100,000-dossier
reminders measure). Run after ``load_referentiels`` (and ``seed_demo`` for the demo accounts).
"""

from .jury import add_candidates
from .seeder import Seeder, seed_volume

__all__ = ["Seeder", "add_candidates", "seed_volume"]
