"""House rules that keep the domain core reusable (DESIGN.md)."""

import ast
import importlib
import re
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


# -- imports point down (issue 12): one graph over the project's own modules ------------------------

PACKAGES = ("bot", "handlers", "models")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_files() -> dict[str, Path]:
    return {_module_name(f): f for pkg in PACKAGES for f in ROOT.joinpath(pkg).rglob("*.py")}


def _imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules `path` imports, at the top or inside a function (a late import still is one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports only a type checker runs (`if TYPE_CHECKING:`) name a type; they never load a module.
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
            for alias in node.names:  # `from bot.services import cases` is an edge to the submodule
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    # Importing a.b.c runs a/__init__ and a/b/__init__ first: an edge to each package on the way.
    found |= {parent for name in found for parent in _packages_above(name) if parent in modules}
    return found - {_module_name(path)}


def _packages_above(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
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
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle_among_modules():
    modules = _project_files()
    graph = {name: _imported_modules(path, modules) for name, path in modules.items()}
    # A package __init__ that gathers its submodules (handlers.register) is the one allowed loop-back:
    # `from handlers import x` from a submodule means the submodule, not the registry.
    for name in graph:
        graph[name] = {dep for dep in graph[name] if not name.startswith(dep + ".")}
    assert _import_cycles(graph) == []


def test_import_cycle_check_finds_a_cycle():
    assert _import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _private_crossings(path: Path, modules: dict[str, Path]) -> list[str]:
    """`from x import _y` and `mod._y` where `mod` is a project module, in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                elif f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{aliases[node.value.id]}.{node.attr}")
    return found


def test_no_private_name_crosses_a_module():
    modules = _project_files()
    offenders = {name: crossings for name, path in modules.items()
                 if (crossings := _private_crossings(path, modules))}
    assert offenders == {}


def test_handlers_never_import_bot_app():
    offenders = [str(f.relative_to(ROOT)) for f in ROOT.joinpath("handlers").rglob("*.py")
                 if "bot.app" in _imported_modules(f, _project_files())]
    assert offenders == []


def test_every_handler_module_hands_over_new_handlers_per_call():
    """`handlers()` in each feature module, built afresh on each call (a ConversationHandler keeps
    per-application state); no module-level lists and no module __getattr__."""
    helpers = {"__init__", "common", "errors", "forms", "gate"}  # shared code, no handlers of their own
    folder = ROOT.joinpath("handlers")
    # A feature that is a package (handlers/cases/) hands them over from its __init__.
    features = sorted([p.stem for p in folder.glob("*.py")] + [p.parent.name for p in folder.glob("*/__init__.py")])
    assert "cases" in features
    for name in features:
        if name in helpers:
            continue
        module = importlib.import_module(f"handlers.{name}")
        assert callable(getattr(module, "handlers", None)), name
        assert not hasattr(module, "__getattr__"), name
        first, second = module.handlers(), module.handlers()
        assert first and all(isinstance(h, BaseHandler) for h in first), name
        assert not {id(h) for h in first} & {id(h) for h in second}, name


def test_test_modules_never_import_each_other():
    """Shared steps and builders live in tests/factories.py, tests/bot/steps.py and towns.py; a test
    module imported by another runs its tests twice and hides where a helper belongs."""
    offenders = []
    for path in ROOT.joinpath("tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1].startswith("test_"):
                offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []



# Button codes are written once, in bot/callbacks.py (issue 12); these are the families of the codes
# written by hand before that, and the first segment of every code defined there now.
CODE_FAMILIES = ("case", "ca", "dl", "ba", "sv", "svd", "svl", "svu", "nt", "rp", "vs", "ir", "grp", "adm", "cal",
                 "duty", "inv", "my", "sr", "rem:ack", "urg:ack")


def _code_families() -> tuple[str, ...]:
    from bot import callbacks

    defined = {code.TEMPLATE.split(":")[0] for code in callbacks.all_codes()}
    return tuple(sorted(set(CODE_FAMILIES) | defined))


def _leading_text(node: ast.expr) -> str | None:
    """The text a string constant or f-string starts with (None for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    return None


def _button_data(node: ast.AST) -> list[ast.expr]:
    """What a node puts on a button: a (label, data) tuple's data, or keyboards.button's data."""
    if isinstance(node, ast.Tuple) and len(node.elts) == 2:
        return [node.elts[1]]
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "button":
            return node.args[1:2] + [k.value for k in node.keywords if k.arg == "data"]
    return []


def _handwritten_codes(source: str, where: str, families: tuple[str, ...]) -> list[str]:
    codes = tuple(f"{family}:" for family in families)
    regexes = tuple(f"^{family}:" for family in families)
    # Any text that starts like a code ("ba:ext:", "case:v:"), wherever it sits (a dict of
    # templates, a conditional); outbox keys ("dl:{id}:ask") go on with a field, never a letter.
    code_like = re.compile("^(?:" + "|".join(re.escape(f) for f in families) + r"):[a-z]")
    tree = ast.parse(source)
    keys = {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg == "key"}
    keys |= {id(part) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for part in f.values}  # f-string pieces
    found = set()
    for node in ast.walk(tree):
        flagged = []
        text = _leading_text(node) if isinstance(node, ast.Constant | ast.JoinedStr) else None
        if text and id(node) not in keys and code_like.match(text):
            flagged.append(node)
        if isinstance(node, ast.keyword) and node.arg == "pattern" and _leading_text(node.value) is not None:
            flagged.append(node.value)  # a hand-written pattern
        flagged += [data for data in _button_data(node) if (_leading_text(data) or "").startswith(codes)]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(regexes):
            flagged.append(node)  # a hand-written callback regex, wherever it is passed
        found |= {(n.lineno, f"{where}:{n.lineno}: {ast.unparse(n)}") for n in flagged}
    return [line for _, line in sorted(found)]


def _callback_code_offenders() -> list[str]:
    families = _code_families()
    paths = sorted([*ROOT.joinpath("handlers").rglob("*.py"), *ROOT.joinpath("bot", "services").rglob("*.py")])
    return [line for path in paths
            for line in _handwritten_codes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), families)]



def test_button_codes_are_written_only_in_callbacks():
    """Services pack a code from bot/callbacks.py, handlers register its pattern (issue 12): no
    button data or callback pattern is written by hand in handlers/ or bot/services/. Outbox keys
    (key=...) are idempotency keys, not button codes."""
    assert _callback_code_offenders() == []


def test_the_button_code_check_finds_a_handwritten_code():
    source = ('button("x", f"rp:c:{1}")\nH(cb, pattern=r"^vs:ok$")\nq(cb, r"^adm:")\n[[("x", "ir:open:1")]]\n'
              'enqueue(key=f"rem:{1}:x")\nbutton("x", Code(1).pack())\nH(cb, pattern=Code.pattern())\n'
              'DATA = {"plan": "ba:plan:{id}"}\nx = f"ba:ext:{i}" if a else Code(i).pack()\nkey = f"dl:{i}:ask"\n')
    found = _handwritten_codes(source, "sample", _code_families())
    assert [line.split(":")[1] for line in found] == ["1", "2", "3", "4", "8", "9"], found


def test_services_never_escape_html():
    """Services decide who is told and what happened; the wording, and the escaping of what people
    typed, is bot/texts/notify's (issue 12). One escape (bot/texts/markup.py) serves the texts and
    the handlers' own renderers."""
    offenders = []
    for path in ROOT.joinpath("bot", "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in {"bot.texts.markup", "html"} and any(
                    a.name == "escape" for a in node.names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "escape" and getattr(node.value, "id", "") == "html":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_setting_is_in_the_env_example():
    """A newcomer configures the bot from .env.example: a setting missing there is one nobody finds."""
    from bot.config import Settings

    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ROOT.joinpath(".env.example").read_text(encoding="utf-8"), re.M))
    assert {name.upper() for name in Settings.model_fields} - listed == set()
