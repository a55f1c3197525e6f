import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


def test_production_settings_pass_check_deploy_with_no_warning():
    result = _manage("check", "--deploy", DEBUG="0", SECRET_KEY="k" * 20 + "-production-secret-key-for-the-test-0123456789",
                     ALLOWED_HOSTS="portal.qinshui.gov.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="portal.qinshui.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_collectstatic_in_production_mode(tmp_path):
    """The manifest storage refuses a stylesheet or script that refers to a missing file (a source map, a
    font): production must be able to collect every static file."""
    result = _manage("collectstatic", "--noinput", DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="localhost",
                     STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
