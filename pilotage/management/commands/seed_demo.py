"""Demo accounts for every role (idempotent). Password of every demo account: DEMO_PASSWORD."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cqp import accounts
from cqp.enums import College, EntrepriseFunction, Role
from cqp.models import Entreprise, OrganismeFormation, User
from referentiels.models import Certification

DEMO_PASSWORD = "demo-cqp-2026"

DEMO_ACCOUNTS = [
    # email, first name, last name, role, details
    ("candidat@demo.cqp", "Camille", "Martin", Role.CANDIDAT, {}),
    ("candidat2@demo.cqp", "Karim", "Benali", Role.CANDIDAT, {}),
    ("organisme@demo.cqp", "Sophie", "Laurent", Role.ORGANISME, {"organisme": "of"}),
    (
        "rh@demo.cqp",
        "Julien",
        "Moreau",
        Role.ENTREPRISE,
        {"entreprise": "mut", "entreprise_function": EntrepriseFunction.RH},
    ),
    (
        "tuteur@demo.cqp",
        "Nadia",
        "Roux",
        Role.ENTREPRISE,
        {"entreprise": "mut", "entreprise_function": EntrepriseFunction.TUTEUR},
    ),
    (
        "evaluateur@demo.cqp",
        "Paul",
        "Girard",
        Role.ENTREPRISE,
        {"entreprise": "mut", "entreprise_function": EntrepriseFunction.EVALUATEUR},
    ),
    ("oemm@demo.cqp", "Claire", "Dubois", Role.OEMM, {}),
    ("jury-employeur@demo.cqp", "Marc", "Lefèvre", Role.JURY, {"college": College.EMPLOYEUR, "union_name": "UGEM"}),
    (
        "jury-employeur2@demo.cqp",
        "Isabelle",
        "Fontaine",
        Role.JURY,
        {"college": College.EMPLOYEUR, "union_name": "UGEM"},
    ),
    ("jury-salarie@demo.cqp", "Ahmed", "Haddad", Role.JURY, {"college": College.SALARIE, "union_name": "CFDT"}),
    ("jury-salarie2@demo.cqp", "Lucie", "Perrin", Role.JURY, {"college": College.SALARIE, "union_name": "CGT"}),
    ("admin@demo.cqp", "Alex", "Admin", Role.ADMIN, {}),
]


class Command(BaseCommand):
    help = "Crée les comptes de démonstration de chaque rôle (idempotent) ; --candidates N ajoute un volume réaliste."

    def add_arguments(self, parser):
        parser.add_argument(
            "--candidates",
            type=int,
            default=0,
            help="ajoute N candidats avec dossiers, livrets, sessions de jury et décisions, en masse (voir "
            "seed_volume)",
        )

    def handle(self, *args, **options):
        self._seed_accounts()
        if options.get("candidates"):
            from pilotage.volume import seed_volume

            counts = seed_volume(candidates=options["candidates"], log=self.stdout.write)
            self.stdout.write("Volume créé : " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    @transaction.atomic
    def _seed_accounts(self):
        organisme, _ = OrganismeFormation.objects.get_or_create(
            siret="12345678900011",
            defaults={
                "name": "Institut de Formation Mutualiste (démo)",
                "contact_name": "Sophie Laurent",
                "contact_email": "organisme@demo.cqp",
                "agrement_from": timezone.localdate().replace(month=1, day=1),
                "agrement_to": timezone.localdate().replace(year=timezone.localdate().year + 2, month=12, day=31),
            },
        )
        organisme.certifications.add(*Certification.objects.all())
        entreprise, _ = Entreprise.objects.get_or_create(
            siret="98765432100022",
            defaults={"name": "Mutuelle Solidaire (démo)", "address": "12 rue de la Paix, 75002 Paris"},
        )
        orgs = {"of": organisme, "mut": entreprise}
        created = 0
        for email, first, last, role, details in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    email_confirmed_at=timezone.now(),
                )
                created += 1
            if not user.roles.filter(role=role).exists():
                resolved = {k: orgs.get(v, v) if k in ("organisme", "entreprise") else v for k, v in details.items()}
                accounts.grant_role(user, role=role, **resolved)
        # One person may hold several roles: the OEMM head also sits on juries (employer college).
        head = User.objects.get(email="oemm@demo.cqp")
        if not head.roles.filter(role=Role.JURY).exists():
            accounts.grant_role(head, role=Role.JURY, college=College.EMPLOYEUR, union_name="UGEM (responsable OEMM)")
        self._demo_dossiers(organisme, entreprise)
        self.stdout.write(f"Comptes de démonstration prêts ({created} créés). Mot de passe : {DEMO_PASSWORD}")

    def _demo_dossiers(self, organisme, entreprise):
        """A VAE dossier for candidat@ (with the demo centre) and a formative one for candidat2@ (by rh@)."""
        from candidates import workflow
        from candidates.models import Dossier

        certifications = {c.code: c for c in Certification.objects.all()}
        if "gpac" not in certifications:
            return
        camille = User.objects.get(email="candidat@demo.cqp")
        if not Dossier.objects.filter(candidate=camille).exists():
            workflow.register_vae(candidate=camille, certification=certifications["gpac"], organisme=organisme)
        self._demo_slots(organisme)
        karim = User.objects.get(email="candidat2@demo.cqp")
        if not Dossier.objects.filter(candidate=karim).exists():
            workflow.register_employee(
                by=User.objects.get(email="rh@demo.cqp"),
                entreprise=entreprise,
                email=karim.email,
                first_name=karim.first_name,
                last_name=karim.last_name,
                certification=certifications["gpac"],
                organisme=organisme,
            )

    def _demo_slots(self, organisme):
        """Free entretien slots of the demo centre on the next working days (when it has none to come), so the demo
        candidate's next action is to book one."""
        import datetime

        from candidates.enums import SlotState
        from candidates.models import EntretienSlot
        from candidates.workflow import slots

        now = timezone.now()
        if EntretienSlot.objects.filter(organisme=organisme, state=SlotState.LIBRE, starts_at__gt=now).exists():
            return
        day, starts = timezone.localdate(now), []
        while len(starts) < 6:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                for hour in (10, 14):
                    starts.append(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))
        staff = User.objects.get(email="organisme@demo.cqp")
        slots.publish(organisme, by=staff, starts=starts, place="Locaux de l'organisme, salle 2 (démonstration)")
