"""Import hygiene: every tracker module imports on its own, route modules stay inside their
blueprint package, and the modules' imports form no cycle (not even through a function)."""

import ast
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"


@dataclass(frozen=True)
class Import:
    """One import of a tracker module: who imports what, where, and whether at module level."""

    importer: str
    target: str
    line: int
    module_level: bool


def tracker_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def is_type_checking(test: ast.expr) -> bool:
    """True for `if TYPE_CHECKING:` (those imports never run)."""
    name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
    return name == "TYPE_CHECKING"


def walk_imports(nodes: list[ast.stmt], module_level: bool = True):
    """Yield (node, module_level) for every import statement, skipping TYPE_CHECKING blocks."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, module_level
        elif isinstance(node, ast.If) and is_type_checking(node.test):
            continue
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from walk_imports(node.body, False)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from walk_imports([child], module_level)
                elif isinstance(child, ast.excepthandler | ast.match_case):
                    yield from walk_imports(child.body, module_level)


def imported_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names one import statement asks for (`from a import b` gives `a.b`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or not node.module:
        return []
    return [f"{node.module}.{alias.name}" for alias in node.names]


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The tracker module a dotted name lives in (`a.b.func` is in module `a.b`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def tracker_imports(modules: dict[str, Path]) -> list[Import]:
    """Every import of a tracker module by a tracker module."""
    found = set()
    for importer, path in modules.items():
        for node, module_level in walk_imports(ast.parse(path.read_text()).body):
            for name in imported_names(node):
                target = resolve(name, modules) if name.startswith("tracker") else None
                if target and target != importer:
                    found.add(Import(importer, target, node.lineno, module_level))
    return sorted(found, key=lambda i: (i.importer, i.line, i.target))


def import_graph(imports: list[Import], module_level_only: bool = True) -> dict[str, set[str]]:
    """Who imports whom; importing `a.b.c` also runs `a.b`'s __init__ unless it is running."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if module_level_only and not imp.module_level:
            continue
        edges = graph.setdefault(imp.importer, set())
        edges.add(imp.target)
        parent = imp.target.rpartition(".")[0]
        while parent:
            # an ancestor package of the importer is already being imported: no new edge
            if not (imp.importer + ".").startswith(parent + "."):
                edges.add(parent)
            parent = parent.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = stack[stack.index(node):]
                    del stack[stack.index(node):]
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in stack:
                low[node] = min(low[node], index[child])
    return found


def is_route_module(name: str) -> bool:
    """A module that declares views: `routes` or `*_routes`."""
    last = name.rpartition(".")[2]
    return last == "routes" or last.endswith("_routes")


def route_imports_from_outside(imports: list[Import]) -> list[Import]:
    """Imports of a route module from outside its blueprint package (the factory excepted)."""
    def outside(imp: Import) -> bool:
        package = imp.target.rpartition(".")[0]
        return not imp.importer.startswith(package + ".") and imp.importer != "tracker"
    return [imp for imp in imports if is_route_module(imp.target) and outside(imp)]


# A child forked from a process that has loaded the third-party libraries but no tracker
# module imports one tracker module: the same check as a fresh interpreter per module, at a
# fraction of the start-up cost.
IMPORT_EACH = textwrap.dedent("""
    import importlib, json, os, sys, traceback
    names, libraries = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    for library in libraries:
        try:
            importlib.import_module(library)
        except Exception:
            pass
    assert not any(m == "tracker" or m.startswith("tracker.") for m in sys.modules)
    failures, running = {}, {}
    def reap():
        pid, status = os.wait()
        name, reader = running.pop(pid)
        message = os.read(reader, 65536).decode()
        os.close(reader)
        if status:
            failures[name] = message or f"exit status {status}"
    for name in names:
        while len(running) >= 4:
            reap()
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            try:
                importlib.import_module(name)
            except BaseException:
                os.write(writer, traceback.format_exc()[-3000:].encode())
                os._exit(1)
            os._exit(0)
        os.close(writer)
        running[pid] = (name, reader)
    while running:
        reap()
    print(json.dumps(failures))
""")


def third_party_libraries(modules: dict[str, Path]) -> list[str]:
    """Top-level packages other than tracker that tracker modules import at module level."""
    names = set()
    for path in modules.values():
        for node, module_level in walk_imports(ast.parse(path.read_text()).body):
            if module_level and isinstance(node, ast.Import | ast.ImportFrom):
                for name in ([a.name for a in node.names] if isinstance(node, ast.Import)
                             else [node.module or ""] if not node.level else []):
                    if name and not name.startswith("tracker"):
                        names.add(name)
    return sorted(names)


def modules_failing_alone(package: Path = PACKAGE) -> dict[str, str]:
    """Import each tracker module in its own process; the tracebacks of those that fail."""
    import json

    modules = tracker_modules(package)
    env = os.environ | {"PYTHONPATH": str(package.parent)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, json.dumps(sorted(modules)),
         json.dumps(third_party_libraries(modules))],
        cwd=package.parent, env=env, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(result.stdout)


def test_every_module_imports_on_its_own():
    """`import tracker.<module>` works for every module, whatever was imported before."""
    assert modules_failing_alone() == {}


def test_import_api_endpoint_module_in_a_fresh_interpreter():
    """The example from the issue, in a truly fresh interpreter: an API module imports alone."""
    script = "import tracker.api.progress, sys; print('tracker.api.progress' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], cwd=PACKAGE.parent,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_no_route_module_is_imported_outside_its_blueprint_package():
    """Display helpers live in presenters, not in route modules other packages reach into."""
    assert route_imports_from_outside(tracker_imports(tracker_modules())) == []


def test_no_import_cycles_at_module_level():
    """The module-level import graph is acyclic."""
    assert cycles(import_graph(tracker_imports(tracker_modules()))) == []


def test_no_import_inside_a_function_dodges_a_cycle():
    """Counting the imports inside functions too, the graph stays acyclic: none hides a cycle."""
    graph = import_graph(tracker_imports(tracker_modules()), module_level_only=False)
    assert cycles(graph) == []


def test_cycle_finder_finds_a_known_cycle():
    """The oracle for the tests above: a hand-made graph with one 3-cycle and one tail."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_scanner_sees_imports_inside_functions_and_skips_type_checking(tmp_path):
    """The AST scan tells module-level from function-level imports and ignores TYPE_CHECKING."""
    package = tmp_path / "tracker"
    (package / "web").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "web" / "__init__.py").write_text("")
    (package / "web" / "routes.py").write_text("from tracker.helpers import x\n")
    (package / "helpers.py").write_text(textwrap.dedent("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from tracker.web.routes import bp
        def f():
            from tracker.web.routes import y
    """))
    imports = tracker_imports(tracker_modules(package))
    assert imports == [Import("tracker.helpers", "tracker.web.routes", 6, False),
                       Import("tracker.web.routes", "tracker.helpers", 1, True)]
    assert route_imports_from_outside(imports) == [imports[0]]
    assert cycles(import_graph(imports)) == []
    assert cycles(import_graph(imports, module_level_only=False)) == [
        ["tracker.helpers", "tracker.web.routes"]]


def test_a_module_that_cannot_import_alone_is_reported(tmp_path):
    """Two modules that import names from each other fail alone; the check says which."""
    package = tmp_path / "tracker"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from tracker.b import B\nA = 1\n")
    (package / "b.py").write_text("from tracker.a import A\nB = 2\n")
    (package / "c.py").write_text("import json\n")
    failures = modules_failing_alone(package)
    assert sorted(failures) == ["tracker.a", "tracker.b"]
    assert "ImportError" in failures["tracker.a"]
