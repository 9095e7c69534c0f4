from .models import DossierEvent


def record_event(dossier, *, actor, action, label, from_state="", to_state="", comment="", data=None) -> DossierEvent:
    """Write one row of the dossier's audit trail (called inside the transition's transaction)."""
    return DossierEvent.objects.create(
        dossier=dossier,
        actor=actor if (actor and actor.pk) else None,
        action=action[:60],
        label=label if len(label) <= 200 else label[:199] + "…",
        from_state=from_state or "",
        to_state=to_state or "",
        comment=comment or "",
        data=data or {},
    )
