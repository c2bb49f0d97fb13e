"""The apps build on each other in layers: ``lib`` and ``core`` import no app that builds on
them, and no two apps import each other, directly or around a cycle (STYLE.md, "Pages that
compose many apps live above those apps"). Read from the source with ``ast``: every import,
at the top of a module or inside a function, counts."""

import ast
from collections import defaultdict
from pathlib import Path

import heedful

PACKAGE = Path(heedful.__file__).parent
FOUNDATIONS = ("lib", "core")

KNOWN_ARROWS: dict[tuple[str, str], str] = {}
"""Arrows that break the layering today, each with why; the list only shrinks (a test below
fails when one of them is gone, so that it is taken off)."""


def apps() -> set[str]:
    return {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}


def imports_between_apps() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the modules that import it."""
    known = apps()
    arrows: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in known:
            continue  # the project's own modules (settings, urls, api) sit above every app
        importer = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "heedful" and len(pieces) > 1 and pieces[1] in known:
                    if pieces[1] != importer:
                        arrows[(importer, pieces[1])].add(str(path.relative_to(PACKAGE.parent)))
    return arrows


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every strongly connected group of two or more apps, as one cycle through it."""
    graph: dict[str, set[str]] = defaultdict(set)
    for start, end in edges:
        graph[start].add(end)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for following in sorted(graph[node]):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(group, graph) for group in groups]


def _one_cycle(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A path from the group's first app back to itself, within the group."""
    start = group[0]
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for following in sorted(graph[path[-1]] & set(group)):
            if following == start:
                return [*path, start]
            if following not in path:
                paths.append([*path, following])
    return group


def describe(cycle: list[str], arrows: dict[tuple[str, str], set[str]]) -> str:
    steps = []
    for start, end in zip(cycle, cycle[1:], strict=False):
        steps.append(f"{start} -> {end} ({', '.join(sorted(arrows[(start, end)]))})")
    return " ; ".join(steps)


def test_lib_and_core_import_no_app_that_builds_on_them() -> None:
    arrows = imports_between_apps()
    upward = {
        (start, end): modules for (start, end), modules in arrows.items()
        if start in FOUNDATIONS and end not in FOUNDATIONS and (start, end) not in KNOWN_ARROWS
    }
    assert not upward, "lib/core import apps above them: " + "; ".join(
        f"{start} -> {end} in {', '.join(sorted(modules))}"
        for (start, end), modules in sorted(upward.items())
    )
    assert ("lib", "core") not in arrows, f"lib imports core: {arrows[('lib', 'core')]}"


def test_no_cycle_between_apps() -> None:
    arrows = imports_between_apps()
    found = cycles(set(arrows) - set(KNOWN_ARROWS))
    assert not found, "Cycles between apps: " + " | ".join(
        describe(cycle, arrows) for cycle in found
    )


def test_every_known_exception_still_exists() -> None:
    arrows = imports_between_apps()
    gone = sorted(arrow for arrow in KNOWN_ARROWS if arrow not in arrows)
    assert not gone, f"Take these off KNOWN_ARROWS, they are fixed: {gone}"


def test_the_checker_names_a_cycle() -> None:
    # given three apps around a cycle and one beside it
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}
    # then
    assert cycles(edges) == [["a", "b", "c", "a"]]
