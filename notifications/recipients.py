"""Who is told: the staff of a certifier (``user.staff_certifier_ids()``: their certifier's, or every certifier's
for a staff role without one), the members of a training centre, the members of a jury."""

from django.db.models import Q

from cqp.enums import Role
from cqp.models import UserRole


def staff_ids(certifier_id) -> list[int]:
    """The active OEMM staff acting for ``certifier_id`` (an administrator is not notified: no staff role)."""
    roles = UserRole.objects.filter(role=Role.OEMM, user__is_active=True).filter(
        Q(certifier_id=certifier_id) | Q(certifier__isnull=True)
    )
    return sorted(set(roles.values_list("user_id", flat=True)))


def centre_ids(organisme_id) -> list[int]:
    roles = UserRole.objects.filter(role=Role.ORGANISME, organisme_id=organisme_id, user__is_active=True)
    return sorted(set(roles.values_list("user_id", flat=True)))
