"""Import cycles among the top-level modules of ``archive`` (function-level imports included),
from grimp's graph (grimp comes with import-linter, in the test extra).

    PYTHONPATH=TREE .venv/bin/python scripts/import_cycles.py    # TREE: a checkout's root
"""

from __future__ import annotations

import grimp


def top(name: str) -> str:
    """``archive.facets.entities`` → ``archive.facets``."""
    return ".".join(name.split(".")[:2])


def main() -> None:
    graph = grimp.build_graph("archive", cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if top(module) != top(imported):
                edges.setdefault(top(module), set()).add(top(imported))
    nodes = sorted({top(name) for name in graph.modules})
    reach: dict[str, set[str]] = {node: set() for node in nodes}
    for node in nodes:
        stack = list(edges.get(node, ()))
        while stack:
            other = stack.pop()
            if other not in reach[node]:
                reach[node].add(other)
                stack.extend(edges.get(other, ()))
    cyclic = sorted(node for node in nodes if node in reach[node])
    groups = sorted({tuple(sorted(other for other in cyclic if other in reach[node] and node in reach[other])) for node in cyclic})
    print(f"{len(nodes)} top-level modules, {sum(len(found) for found in edges.values())} imports between them; modules in a cycle: {len(cyclic)}")
    for group in groups:
        print("  cycle group:", ", ".join(name.removeprefix("archive.") for name in group))


if __name__ == "__main__":
    main()
