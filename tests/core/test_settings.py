import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra, tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"OSEZIA_VAR_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "OSEZIA_ENV": "production",
            "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789",
            "ALLOWED_HOSTS": "osez-ia.exemple.fr",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check", env_extra={"OSEZIA_ENV": "production", "ALLOWED_HOSTS": "x.fr"}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_security_headers_and_csp_nonce_on_pages(db):
    from django.test import Client

    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
