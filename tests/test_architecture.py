"""The intended architecture, enforced: imports point down only, and no module imports in a circle.

    app -> components -> layers -> core -> data

Every import of every module is read from its source (``ast``), lazy ones inside functions
too, so a rule cannot be dodged by moving an import into a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("data", "core", "layers", "components")
#: package -> the atlas packages it may import (besides itself); app.py may import everything
ALLOWED = {
    "data": set(),
    "core": {"data"},
    "layers": {"core", "data"},
    "components": {"layers", "core", "data"},
}
OURS = {*PACKAGES, "app"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def imports_of(path: Path, module: str) -> set[str]:
    """Every atlas module ``path`` imports, anywhere in the file (top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # "from layers import network" imports the module layers.network
            names = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        out.update(name for name in names if name.split(".")[0] in OURS)
    return out


MODULES = _modules()
GRAPH = {name: {i for i in imports_of(path, name) if i in MODULES and i != name} for name, path in MODULES.items()}


def test_the_tree_is_what_the_rules_talk_about() -> None:
    # A rule over an empty set passes vacuously: make sure every package is really read.
    for package in PACKAGES:
        assert sum(1 for m in MODULES if m.split(".")[0] == package) >= 3, package
    assert "layers.map_figure" in GRAPH["components.map_panel"]
    assert "core.i18n" in GRAPH["core.state"]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "app"))
def test_imports_point_down(module: str) -> None:
    package = module.split(".")[0]
    allowed = ALLOWED[package] | {package}
    wrong = sorted(i for i in imports_of(MODULES[module], module) if i.split(".")[0] not in allowed)
    assert not wrong, f"{module} may import only {sorted(allowed)}, but imports {wrong}"


def test_nothing_imports_the_app() -> None:
    offenders = sorted(m for m, deps in GRAPH.items() if "app" in deps)
    assert not offenders


def test_the_core_has_no_dash() -> None:
    third_party = {"dash", "dash_cytoscape", "plotly", "flask"}
    for module, path in MODULES.items():
        if module.split(".")[0] in ("core", "data", "layers"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            banned = third_party - ({"plotly"} if module.startswith("layers") else set())
            assert not names & banned, f"{module} imports {sorted(names & banned)}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle() -> None:
    # Package __init__ modules are edges from "package" to what it re-exports; a module
    # importing its own package's __init__ is not a circle of design, so drop those edges.
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in GRAPH.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
