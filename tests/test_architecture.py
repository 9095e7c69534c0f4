"""The import graph of the project's packages, read from the source with ``ast``: every ``import`` and
``from … import``, at the top of a module or inside a function (migrations and tests apart).

* Layers, from the bottom: référentiels < cqp (the shared core) < candidates < vae < jury < notifications <
  messagerie < pilotage. A package imports
  only from its own layer and the layers below (README, « Architecture »): no upward
  import, hence no cycle between packages. The apps below contribute to the ones above through registries filled in
  their ``AppConfig.ready()`` (cqp/reminder_registry.py, cqp/personal_data_registry.py, candidates/history_sources.py,
  cqp/staff_events.py).
* No cycle between the modules of a package either (the core's included: cqp/auth_middleware.py and
  cqp/two_factor.py, cqp/mail.py and cqp/tasks.py used to import each other).
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["referentiels", "cqp", "candidates", "vae", "jury", "notifications", "messagerie", "pilotage"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> list[tuple[str, int]]:
    """(imported project module, line) for every import statement of ``module``, wherever it is written."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, is_package, node)
            # ``from package import module`` imports the module; ``from module import name`` the module itself.
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in MODULES:
                found.append((target, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    edges = defaultdict(set)
    for module in MODULES:
        for target, _ in imports_of(module):
            if target != module:
                edges[module].add(target)
    return edges


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(set(edges) | {n for targets in edges.values() for n in targets}):
        if node not in index:
            visit(node)
    return result


def test_the_graph_is_read_from_every_package():
    assert {m.split(".")[0] for m in MODULES} == set(LAYERS)
    edges = graph()
    # Function-level imports count: the daily job imports vae inside pilotage, the tasks import their services.
    assert "vae.workflow" in edges["pilotage.daily"] and "pilotage.daily" in edges["pilotage.tasks"]
    assert not any("migrations" in m for m in MODULES)


def test_no_upward_import():
    upward = [
        f"{module}:{line} imports {target} ({target.split('.')[0]} is above {module.split('.')[0]})"
        for module in sorted(MODULES)
        for target, line in imports_of(module)
        if _layer(target) > _layer(module)
    ]
    assert upward == [], "\n".join(upward)


def test_no_cycle_between_packages():
    edges = defaultdict(set)
    for module, targets in graph().items():
        for target in targets:
            if target.split(".")[0] != module.split(".")[0]:
                edges[module.split(".")[0]].add(target.split(".")[0])
    assert cycles(edges) == []


# Packages whose modules import each other without a cycle: every package of the project.
CYCLE_FREE_PACKAGES = ["referentiels", "cqp", "candidates", "vae", "jury", "notifications", "messagerie", "pilotage"]


@pytest.mark.parametrize("package", CYCLE_FREE_PACKAGES)
def test_no_cycle_between_the_modules_of(package):
    inside = {
        m: {t for t in targets if t.split(".")[0] == package}
        for m, targets in graph().items()
        if m.split(".")[0] == package
    }
    assert cycles(inside) == []


def test_the_core_imports_no_app():
    apps = {"candidates", "vae", "jury", "notifications", "messagerie", "pilotage"}
    found = [
        f"{module}:{line} imports {target}"
        for module in sorted(MODULES)
        if module.split(".")[0] == "cqp"
        for target, line in imports_of(module)
        if target.split(".")[0] in apps
    ]
    assert found == [], "\n".join(found)


def test_the_checker_sees_what_it_must_refuse():
    """The two checks fail on a cycle and on an upward import (the test tests itself on a made-up graph)."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("cqp.auth_middleware") < _layer("candidates.models") < _layer("pilotage.daily")


# -------------------------------------------------------------------------------------------------- module length
MAX_MODULE_LINES = 500
NOT_OURS = {".venv", "node_modules", "migrations", "bench", ".git", "__pycache__"}


def _project_python_files() -> list[Path]:
    """Every .py file of the project (tests, deploy scripts and management commands included), outside migrations, the
    bench, the virtualenv and npm's node_modules."""
    return [
        path
        for path in ROOT.rglob("*.py")
        if not NOT_OURS.intersection(path.relative_to(ROOT).parts) and not path.name.startswith(".")
    ]


def test_no_python_module_over_500_lines():
    """A long module holds several things: split it by what it holds (README, « Architecture »)."""
    files = _project_python_files()
    assert len(files) > 100, "the walk should find the project's modules"
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in files
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"modules over {MAX_MODULE_LINES} lines (split them by what they hold): {too_long}"
