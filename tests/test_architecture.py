"""The package's shape stays as documented (docs/development.md, "Layers"): layers point down, no
import cycles, no import hidden inside a function to dodge one."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_beian"
ROOT = PACKAGE.parent

#: Function-level imports of the app's own modules that are allowed, and why.
#: ``AppConfig.ready`` wires signals and checks: Django documents it as the place for imports that
#: need the app registry (models) to be ready.
ALLOWED_FUNCTION_IMPORTS = {("apps.py", "ready")}


def _function_level_imports():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                own = (isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("wagtail_beian"))) or (
                    isinstance(node, ast.Import) and any(a.name.startswith("wagtail_beian") for a in node.names)
                )
                if own and (str(path.relative_to(PACKAGE)), function.name) not in ALLOWED_FUNCTION_IMPORTS:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} in {function.name}()")
    return found


def test_no_import_of_the_app_inside_a_function():
    assert _function_level_imports() == []


def test_the_function_import_check_finds_one(tmp_path, monkeypatch):
    """The check above can fail: a module with an import inside a function is reported."""
    package = tmp_path / "wagtail_beian"
    package.mkdir()
    (package / "late.py").write_text("def f():\n    from .models import Filing\n    return Filing\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _function_level_imports() == ["wagtail_beian/late.py:2 in f()"]


def test_layer_and_acyclic_contracts_are_kept():
    """import-linter's contracts in pyproject.toml: rules <- models <- services <- notifications,
    spreadsheets, forms, admin, portal <- wagtail_hooks; and no cycle between siblings."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
