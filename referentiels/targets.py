"""Target units of a path and who validates them: the jury or a commission paritaire (seed 003 L36, L81, L183).

Plain functions on plain values (the version's ``target_rules`` dict, unit numbers), table-tested in
tests/referentiels/test_targets.py. An empty rule: every path targets the whole CQP and goes to the jury.
"""

JURY = "jury"
COMMISSION = "commission"
KIND_LABELS = {JURY: "jury", COMMISSION: "commission paritaire"}


def partial_allowed(rule: dict) -> bool:
    return bool(rule and rule.get("partial_allowed"))


def routing(rule: dict, targeted: list[int], remaining: list[int]) -> str:
    """« jury » or « commission »: ``targeted`` the units of the dossier, ``remaining`` the units of the CQP the
    candidate still has to acquire (all units, less those acquired and still valid). Targeting all the remaining
    units is a path to the whole CQP: the jury, which delivers the CQP."""
    targeted = set(targeted)
    if not partial_allowed(rule) or not targeted or targeted >= set(remaining):
        return JURY
    if rule.get("commission_when") == "single":
        return COMMISSION if len(targeted) == 1 else JURY
    return COMMISSION


def targets_problem(rule: dict, targeted: list[int], all_units: list[int], acquired: list[int]) -> str | None:
    """Why this choice of target units is refused (in French), None when it is allowed. ``acquired``: the units
    acquired and still valid (not targeted again)."""
    targeted = set(targeted)
    if not targeted:
        return "Choisissez au moins une unité visée."
    unknown = targeted - set(all_units)
    if unknown:
        return "Unité inconnue dans ce CQP : " + ", ".join(str(n) for n in sorted(unknown)) + "."
    again = targeted & set(acquired)
    if again:
        return (
            "Unité déjà acquise et encore valable, elle n'est pas visée de nouveau : "
            + ", ".join(str(n) for n in sorted(again))
            + "."
        )
    remaining = set(all_units) - set(acquired)
    if targeted != remaining and not partial_allowed(rule):
        return "Ce CQP se prépare en entier : le parcours vise toutes les unités restant à acquérir."
    return None


def commission_colleges(rule: dict, labels: dict) -> dict:
    """Keyword arguments of jury.rules.check_composition for the commission paritaire of this rule: ``per_college``
    representatives of each college (``labels``: college → plural label)."""
    n = (rule.get("commission") or {}).get("per_college", 2)
    return {
        "colleges": [(college, label, n, n) for college, label in labels.items()],
        "min_members": n * len(labels),
        "max_members": n * len(labels),
        "body": "La commission paritaire",
    }
