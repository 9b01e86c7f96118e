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


def test_outside_production_a_random_key_is_generated_once_and_kept(tmp_path):
    show = ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    first = run_manage(*show, env_extra={"SECRET_KEY": ""}, tmp_path=tmp_path)
    second = run_manage(*show, env_extra={"SECRET_KEY": ""}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key == second.stdout.strip().splitlines()[-1]
    assert "insecure" not in key
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key
    assert stored.stat().st_mode & 0o077 == 0  # readable by its owner only
    other = tmp_path / "autre"
    other.mkdir()
    assert (
        run_manage(*show, env_extra={"SECRET_KEY": ""}, tmp_path=other)
        .stdout.strip()
        .splitlines()[-1]
        != key
    )


def test_an_unknown_environment_refuses_to_start(tmp_path):
    result = run_manage("check", env_extra={"OSEZIA_ENV": "prod"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "OSEZIA_ENV='prod' est inconnu" in result.stderr


def test_demo_data_is_refused_in_production_whatever_the_flags(tmp_path):
    production = {
        "OSEZIA_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "osez-ia.exemple.fr",
    }
    plain = run_manage("seed_demo", env_extra=production, tmp_path=tmp_path)
    assert plain.returncode != 0 and "Refusé en production" in plain.stderr
    forced = run_manage("seed_demo", "--force", env_extra=production, tmp_path=tmp_path)
    assert forced.returncode != 0  # the former escape hatch no longer exists
    assert "démonstration" not in forced.stdout
