"""Each stage package imports only the stages below it, as its docstring says, and none imports
another in a circle."""

import ast
import re
from pathlib import Path

import newsgen

PACKAGE = Path(newsgen.__file__).parent
SHARED = {"errors", "files", "parallel", "report", "version"}  # the lowest layer, for all


def imports_by_package() -> dict[str, set[str]]:
    """What each top-level part of newsgen (a subpackage or a module) imports of the others."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        folders = list(path.relative_to(PACKAGE).parts[:-1])
        part = folders[0] if folders else path.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                target = folders[: len(folders) - node.level + 1] + (node.module or "").split(".")
                names = [t for t in target if t] or [alias.name for alias in node.names]
                found.setdefault(part, set()).add(names[0])
    return {part: imported - {part} for part, imported in found.items()}


def allowed_by_docstring(package: str) -> set[str] | None:
    """The packages named after "May import" in the package's docstring; None if it names none."""
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    said = re.search(r"May import[^:]*:(.*?)\.(\s|$)", doc, re.S)
    if said is None:
        return None
    return set(re.findall(r"\b([a-z_]+)\b", said.group(1))) - {"nothing", "of", "newsgen"}


STAGES = ["text", "config", "state", "sources", "site", "images", "outputs", "write", "incremental"]


def test_every_stage_says_what_it_may_import_and_imports_no_more() -> None:
    imports = imports_by_package()
    for package in STAGES:
        allowed = allowed_by_docstring(package)
        assert allowed is not None, f"{package}/__init__.py does not say what it may import"
        assert imports.get(package, set()) - allowed - SHARED == set(), package


def test_stages_import_only_stages_below_them() -> None:
    imports = imports_by_package()
    for index, package in enumerate(STAGES):
        above = set(STAGES[index + 1 :]) | {"build", "commands", "serve", "counter", "publish"}
        assert imports.get(package, set()) & above == set(), package


def test_the_services_stand_apart_from_the_generator() -> None:
    imports = imports_by_package()
    assert imports["counter"] <= SHARED  # the visit counter: nothing of the generator
    assert {part for part, imported in imports.items() if "serve" in imported} == {"commands"}
    assert {part for part, imported in imports.items() if "commands" in imported} == {"__main__"}


def imports_by_module() -> dict[str, set[str]]:
    """What each module of newsgen imports of the others, by dotted name below `newsgen`
    (a package by its `__init__`, which is "" for newsgen itself)."""
    modules = {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix("__init__").rstrip("."): path
        for path in PACKAGE.rglob("*.py")
    }
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name.split(".") if path.name == "__init__.py" and name else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                base = here[: len(here) - node.level + 1] + [
                    part for part in (node.module or "").split(".") if part
                ]
                target = ".".join(base)
                named = {f"{target}.{alias.name}".lstrip(".") for alias in node.names} & modules.keys()
                found.setdefault(name, set()).update(named or {target})
    return {name: imported & modules.keys() - {name} for name, imported in found.items()}


def test_no_module_imports_itself_through_others() -> None:
    """No circle of imports, however long, not even through the package's own `__init__`."""
    imports = imports_by_module()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError(" → ".join([*path[path.index(name) :], name]) or "newsgen")
        if name in done:
            return
        for imported in sorted(imports.get(name, ())):
            visit(imported, [*path, name])
        done.add(name)

    for name in sorted(imports):
        visit(name, [])
