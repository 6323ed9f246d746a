"""``manage.py check --deploy`` against the sandbox's production settings: no warning at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "q8Zr3wX9-kP2mVt7LcN4bY6hJ0sD5fG1aE8uR3iO7pW2zQ9xC4vB6nM0lK5jH1gT"


def manage_check(tmp_path, settings_module, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BEIAN_"))}
    environ.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        BEIAN_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        PYTHONDONTWRITEBYTECODE="1",
        **env,
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "sandbox" / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "beian.example.com",
}


def test_production_settings_pass_check_deploy_without_a_single_warning(tmp_path):
    result = manage_check(tmp_path, "sandbox.settings_production",
                          BEIAN_PRIVATE_ROOT=str(tmp_path / "private"), **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


def test_development_settings_are_caught_by_the_same_check(tmp_path):
    """The check above can fail: the sandbox's development settings give deploy warnings."""
    result = manage_check(tmp_path, "sandbox.settings")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert warning in result.stderr, result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "BEIAN_PRIVATE_ROOT"])
def test_production_settings_refuse_to_start_without_their_environment(tmp_path, missing):
    env = {**PRODUCTION_ENV, "BEIAN_PRIVATE_ROOT": str(tmp_path / "private")}
    del env[missing]
    result = manage_check(tmp_path, "sandbox.settings_production", **env)
    assert result.returncode != 0
    assert f"Set the environment variable {missing} for production." in result.stderr
