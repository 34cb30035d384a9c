"""House rules that keep the domain core reusable (DESIGN.md)."""

import ast
import importlib
from pathlib import Path

from telegram.ext import BaseHandler

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


def test_every_handler_module_hands_over_new_handlers_per_call():
    """`handlers()` in each feature module, built afresh on each call (a ConversationHandler keeps
    per-application state); no module-level lists and no module __getattr__."""
    helpers = {"__init__", "common", "errors", "forms", "gate"}  # shared code, no handlers of their own
    for path in sorted(ROOT.joinpath("handlers").glob("*.py")):
        if path.stem in helpers:
            continue
        module = importlib.import_module(f"handlers.{path.stem}")
        assert callable(getattr(module, "handlers", None)), path.stem
        assert not hasattr(module, "__getattr__"), path.stem
        first, second = module.handlers(), module.handlers()
        assert first and all(isinstance(h, BaseHandler) for h in first), path.stem
        assert not {id(h) for h in first} & {id(h) for h in second}, path.stem
