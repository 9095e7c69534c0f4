import factory
from django.utils import timezone

from cqp.enums import College, Role
from cqp.models import Entreprise, OrganismeFormation, User, UserRole

PASSWORD = "mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class OrganismeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganismeFormation

    name = factory.Sequence(lambda n: f"Organisme de formation {n}")
    siret = factory.Sequence(lambda n: f"{10000000000000 + n}")


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    name = factory.Sequence(lambda n: f"Mutuelle {n}")
    siret = factory.Sequence(lambda n: f"{20000000000000 + n}")


def user_with_role(role, **details):
    user = UserFactory()
    if role == Role.ORGANISME:
        details.setdefault("organisme", OrganismeFactory())
    if role == Role.ENTREPRISE:
        details.setdefault("entreprise", EntrepriseFactory())
    if role == Role.JURY:
        details.setdefault("college", College.EMPLOYEUR)
    UserRole.objects.create(user=user, role=role, **details)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    if role == Role.OEMM:
        user.is_staff = True
        user.save()
    return user


def give_jury_documents(dossier):
    """The documents a VAE dossier needs before the jury (referentiels/expected_documents.py): a CV and a job
    description, as small stored pieces."""
    from django.core.files.base import ContentFile

    from vae.enums import PieceKind, PieceSection
    from vae.models import Piece

    for kind in (PieceKind.CV, PieceKind.FICHE_POSTE):
        piece = Piece(
            dossier=dossier,
            section=PieceSection.LIVRET2,
            kind=kind,
            original_name=f"{kind}.pdf",
            size=20,
            content_type="application/pdf",
            uploaded_by=dossier.candidate,
        )
        piece.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        piece.save()


def validated_entretien(dossier, *, interviewer=None):
    """The dossier's entretien d'accueil validated by its interviewer and by the candidate (stored directly, without
    the grid): what a référentiel with ``entretien_before_livret1`` asks before the livret 1 is sent."""
    from candidates.enums import EntretienState
    from candidates.models import Entretien

    now = timezone.now()
    interviewer = interviewer or user_with_role(Role.ORGANISME)
    entretien, _ = Entretien.objects.update_or_create(
        dossier=dossier,
        defaults={
            "interviewer": interviewer,
            "state": EntretienState.VALIDE,
            "held_on": timezone.localdate(),
            "interviewer_validated_at": now,
            "interviewer_validated_by": interviewer,
            "candidate_validated_at": now,
        },
    )
    return entretien
