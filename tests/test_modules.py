"""The package's modules: no two import each other, however late."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kontaktcharta"


def imports() -> dict[str, set[str]]:
    """Every module of the package with the package modules it imports, at the top or in a
    function, and under TYPE_CHECKING too."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found[name] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                found[name] |= {f"{target}.{alias.name}" for alias in node.names} | {target}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kontakt"):
                found[name].add(str(node.module))
            elif isinstance(node, ast.Import):
                found[name] |= {a.name for a in node.names if a.name.startswith("kontaktcharta")}
    return {
        name: {t for t in targets if t in found and t != name} for name, targets in found.items()
    }


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = imports()
    assert len(graph) > 30
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        seen = set()
        while stack:
            module, path = stack.pop()
            for target in graph[module]:
                if target == start:
                    cycles.append(" → ".join([*path, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    assert cycles == []
