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
    env = {k: v for k, v in env.items() if v is not None}
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


def test_outside_production_the_key_file_is_written_once_by_a_command_and_read(tmp_path):
    show = ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    no_key = {"SECRET_KEY": ""}
    # Without the file, each process has its own random key, and nothing is written.
    first = run_manage(*show, env_extra=no_key, tmp_path=tmp_path)
    second = run_manage(*show, env_extra=no_key, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    unsaved = first.stdout.strip().splitlines()[-1]
    assert len(unsaved) >= 50 and "insecure" not in unsaved
    assert unsaved != second.stdout.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []
    # `make demo` and scripts/serve.sh write it once; every later process reads the same key.
    var_dir = tmp_path / "var"
    created = run_manage("ensure_secret_key", env_extra=no_key, tmp_path=var_dir)
    assert created.returncode == 0, created.stderr
    stored = var_dir / "secret_key"
    key = stored.read_text().strip()
    assert len(key) >= 50 and stored.stat().st_mode & 0o077 == 0  # its owner's only
    assert run_manage("ensure_secret_key", env_extra=no_key, tmp_path=var_dir).returncode == 0
    assert stored.read_text().strip() == key  # kept, never replaced
    for _ in range(2):
        shown = run_manage(*show, env_extra=no_key, tmp_path=var_dir)
        assert shown.stdout.strip().splitlines()[-1] == key


def test_no_key_file_is_written_in_production_or_when_the_key_is_given(tmp_path):
    production = {
        "OSEZIA_ENV": "production",
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "osez-ia.exemple.fr",
    }
    for env in (production, {"SECRET_KEY": PRODUCTION_KEY}):
        result = run_manage("ensure_secret_key", env_extra=env, tmp_path=tmp_path / "var")
        assert result.returncode == 0, result.stderr
        assert "aucune clé écrite" in result.stdout
        assert not (tmp_path / "var" / "secret_key").exists()


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


PRODUCTION_KEY = "k" * 20 + "-production-secret-with-enough-entropy-0123456789"


def test_the_environment_is_development_unless_said_otherwise(tmp_path):
    show = ["shell", "-c", "from django.conf import settings; print(settings.ENVIRONMENT)"]
    env = {"SECRET_KEY": PRODUCTION_KEY}
    unset = run_manage(*show, env_extra={**env, "OSEZIA_ENV": None}, tmp_path=tmp_path)
    assert unset.stdout.strip().splitlines()[-1] == "development"
    for value in ("", "prod", "Production-1", "staging"):
        refused = run_manage(*show, env_extra={**env, "OSEZIA_ENV": value}, tmp_path=tmp_path)
        assert refused.returncode != 0
        assert "ImproperlyConfigured" in refused.stderr
        assert "choisissez parmi development, test, production" in refused.stderr


def test_production_refuses_weak_keys_the_development_key_and_debug(tmp_path):
    production = {"OSEZIA_ENV": "production", "ALLOWED_HOSTS": "osez-ia.exemple.fr"}
    for weak in ("court", "django-insecure-" + "x" * 50, "ab" * 40):
        result = run_manage(
            "check", env_extra={**production, "SECRET_KEY": weak}, tmp_path=tmp_path
        )
        assert result.returncode != 0
        assert "SECRET_KEY est trop faible pour la production" in result.stderr
    (tmp_path / "secret_key").write_text(PRODUCTION_KEY)  # the key made for development
    copied = run_manage(
        "check", env_extra={**production, "SECRET_KEY": PRODUCTION_KEY}, tmp_path=tmp_path
    )
    assert copied.returncode != 0 and "clé générée pour le développement" in copied.stderr
    (tmp_path / "secret_key").unlink()
    debug = {**production, "SECRET_KEY": PRODUCTION_KEY, "DEBUG": "1"}
    result = run_manage("check", env_extra=debug, tmp_path=tmp_path)
    assert result.returncode != 0 and "DEBUG ne peut pas être activé en production" in result.stderr
    no_hosts = {"OSEZIA_ENV": "production", "SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": ""}
    result = run_manage("check", env_extra=no_hosts, tmp_path=tmp_path)
    assert result.returncode != 0 and "ALLOWED_HOSTS doit être défini" in result.stderr


def test_reading_the_settings_creates_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    show = ["shell", "-c", "from django.conf import settings; print(settings.STATIC_ROOT)"]
    for key in (PRODUCTION_KEY, ""):  # given, or not (development: a key in memory)
        result = run_manage(*show, env_extra={"SECRET_KEY": key}, tmp_path=var_dir)
        assert result.returncode == 0, result.stderr
        assert not var_dir.exists()


def test_the_test_run_is_in_the_test_environment_with_a_private_var_dir(settings):
    assert settings.ENVIRONMENT == "test" and not settings.PRODUCTION
    assert settings.VAR_DIR != ROOT / "var"
    assert not settings.VAR_DIR.is_relative_to(ROOT)
    assert not settings.SEARCH_INDEX_DIR.is_relative_to(ROOT)


def test_an_undefined_variable_in_our_templates_fails_the_tests():
    from django.template import Context, Template
    from django.template.base import Origin

    from config.testing import UndefinedTemplateVariable

    ours = Origin(name=str(ROOT / "osezia" / "socle" / "templates" / "socle" / "essai.html"))
    template = Template("{% if absent %}non{% endif %}{{ present }}{{ absent }}", origin=ours)
    try:
        template.render(Context({"present": "oui"}))
    except UndefinedTemplateVariable as error:
        assert "absent" in str(error) and "essai.html" in str(error)
    else:
        raise AssertionError("an undefined variable was rendered silently")
    tolerant = Template("{% if absent %}non{% endif %}{{ present }}{% firstof absent 'défaut' %}")
    assert tolerant.render(Context({"present": "oui"})) == "ouidéfaut"
    third_party = Template("{{ present }}{{ absent }}", origin=Origin(name="/site-packages/x.html"))
    assert third_party.render(Context({"present": "oui"})) == "oui"
