"""A queue's page as a list: sorted by its date columns (« En attente depuis », « Échéance ») through django-filter,
the urgent-first order kept when no sort is chosen, and exported in CSV and XLSX (export key ``file-<queue key>``)
as sorted on the page, with the same columns."""

from django.utils import timezone

from cqp.filtering import ListFilterSet, StableOrderingFilter

from .exports import Column, ExportSpec
from .queues import QUEUES, CockpitQueue


def queue_filterset(queue: CockpitQueue) -> type:
    """The FilterSet of one queue: ``tri`` on the date the items entered it and, if it has one, their deadline."""
    fields = [(queue.since, "depuis")]
    if queue.deadline:
        fields.append((queue.deadline, "echeance"))
    return type(
        f"QueueFilter_{queue.key.replace('-', '_')}",
        (ListFilterSet,),
        {"tri": StableOrderingFilter(label="Trier par", fields=tuple(fields))},
    )


FILTERSETS = {queue.key: queue_filterset(queue) for queue in QUEUES}


def _spec(queue: CockpitQueue) -> ExportSpec:
    def items(user):
        return queue.scoped_items(timezone.localdate(), user)

    columns = [
        Column("Élément", lambda obj: queue.make(obj).title),
        Column("Détail", lambda obj: queue.make(obj).detail),
        Column("En attente depuis", lambda obj: queue.make(obj).since),
    ]
    if queue.deadline:
        columns.append(Column("Échéance", lambda obj: queue.make(obj).deadline))
    return ExportSpec(
        key=f"file-{queue.key}", title=f"file-{queue.key}", filterset=FILTERSETS[queue.key], queryset=items,
        columns=columns,
    )  # fmt: skip


QUEUE_SPECS = [_spec(queue) for queue in QUEUES]
