"""Print the import graph between the project's packages (`make graph`).

The packages are the root packages of the import-linter configuration in pyproject.toml (the
tests and these scripts left out unless --all): one line per edge "importer -> imported" with
the number of module imports behind it, then the import cycles between modules, if any.
`make lint` (lint-imports) is what fails when an arrow points up; this shows the picture.
"""

import argparse
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_ONLY = {"tests", "scripts"}


def root_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages: list[str] = config["tool"]["importlinter"]["root_packages"]
    return packages


def package_edges(graph: grimp.ImportGraph, packages: Iterable[str]) -> Counter[tuple[str, str]]:
    """(importer, imported) package pairs, counted by the module imports behind them."""
    wanted = set(packages)
    edges: Counter[tuple[str, str]] = Counter()
    for importer in graph.modules:
        source = importer.split(".")[0]
        if source not in wanted:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            target = imported.split(".")[0]
            if target != source and target in wanted:
                edges[source, target] += 1
    return edges


def module_cycles(imports: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    for start in sorted(imports):
        if start in index:
            continue
        work = [(start, iter(sorted(imports[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return sorted(cycles)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.import_graph", description=__doc__)
    parser.add_argument("--all", action="store_true", help="include the tests and scripts")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    available = [name for name in root_packages() if (ROOT / name / "__init__.py").exists()]
    shown = available if args.all else [p for p in available if p not in DEVELOPMENT_ONLY]
    # Imports under `if TYPE_CHECKING:` are for annotations only: never run, no cycle.
    graph = grimp.build_graph(*available, cache_dir=None, exclude_type_checking_imports=True)

    edges = package_edges(graph, shown)
    print("Imports between packages (importer -> imported: module imports):")
    for (source, target), count in sorted(edges.items()):
        print(f"  {source} -> {target}: {count}")
    between_packages: dict[str, set[str]] = {package: set() for package in shown}
    for source, target in edges:
        between_packages[source].add(target)
    _print_cycles("packages", module_cycles(between_packages))
    imports = {
        module: set(graph.find_modules_directly_imported_by(module))
        for module in graph.modules
        if module.split(".")[0] in shown
    }
    # Within a package a task may import its service inside the task function (when it
    # runs, not at load), as docs say: such pairs show here and are no layering problem.
    _print_cycles("modules", module_cycles(imports))
    return 0


def _print_cycles(between: str, cycles: list[list[str]]) -> None:
    print(f"Import cycles between {between}: {len(cycles) or 'none'}")
    for cycle in cycles:
        print(f"  {len(cycle)} {between}: " + ", ".join(cycle))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
