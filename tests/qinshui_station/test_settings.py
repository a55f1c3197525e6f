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
    result = _manage("check", ALLOWED_HOSTS="portal.qinshui.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when ALLOWED_HOSTS names a host other than this machine" in result.stderr


def _setting(name: str, **env) -> str:
    result = _manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_debug_is_off_unless_asked_for():
    """Issue 15, finding 5: an instance started without DEBUG=0 showed tracebacks and the URL list."""
    assert _setting("DEBUG") == "False"
    assert _setting("DEBUG", DEBUG="1") == "True"


def test_debug_is_refused_on_a_served_instance():
    result = _manage("check", DEBUG="1", SECRET_KEY="k" * 50, ALLOWED_HOSTS="portal.qinshui.gov.cn")
    assert result.returncode != 0
    assert "DEBUG must be off when ALLOWED_HOSTS names a host other than this machine" in result.stderr


def test_the_demo_script_turns_debug_on_and_says_so():
    script = (ROOT / "scripts" / "serve.sh").read_text(encoding="utf-8")
    assert "export DEBUG=1" in script
    assert "DEBUG=1" in script.split("export DEBUG=1", 1)[1].split("runserver", 1)[0]  # echoed before it serves


def test_collectstatic_in_production_mode(tmp_path):
    """The manifest storage refuses a stylesheet or script that refers to a missing file (a source map, a
    font): production must be able to collect every static file."""
    result = _manage("collectstatic", "--noinput", DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="portal.qinshui.gov.cn",
                     STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
