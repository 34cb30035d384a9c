"""House rules that keep the domain core reusable (DESIGN.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_core_never_imports_telegram():
    files = [*ROOT.joinpath("bot", "services").rglob("*.py"), *ROOT.joinpath("models").rglob("*.py")]
    assert files
    offenders = [str(f.relative_to(ROOT)) for f in files if "telegram" in _imports(f)]
    assert offenders == []


def test_only_handlers_init_registers_handlers():
    callers = [
        str(f.relative_to(ROOT))
        for f in [*ROOT.joinpath("handlers").rglob("*.py"), *ROOT.joinpath("bot").rglob("*.py")]
        if ".add_handler(" in f.read_text(encoding="utf-8") and "emulator" not in f.parts
    ]
    assert callers == ["handlers/__init__.py"]
