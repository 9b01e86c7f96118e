"""Settings of the Osez l'IA platform, driven entirely by environment variables.

Development (the default, `OSEZIA_ENV=development`) needs nothing set. `OSEZIA_ENV=test` is
what the test run uses (set by config/pytest_env.py): undefined template variables fail.
Production (`OSEZIA_ENV=production`, only ever when said so) requires SECRET_KEY and
ALLOWED_HOSTS, refuses a weak or development key and DEBUG, and turns on every
transport-security setting; see docs/deploy.md.

Importing the settings creates nothing: the folders under OSEZIA_VAR_DIR are created where
something is written in them (the search index, the PDF cache, collectstatic, `make demo` and
scripts/serve.sh for the SQLite file, the worker's log and, through `manage.py
ensure_secret_key`, the development key).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OSEZIA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENTS = ("development", "test", "production")
ENVIRONMENT = os.environ.get("OSEZIA_ENV", "development").strip().lower()
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"OSEZIA_ENV={ENVIRONMENT!r} est inconnu : choisissez parmi {', '.join(ENVIRONMENTS)}."
    )
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG ne peut pas être activé en production.")


def _local_secret_key(path: Path) -> str:
    """Outside production, without SECRET_KEY: the key kept in OSEZIA_VAR_DIR/secret_key
    (written by `manage.py ensure_secret_key`, which `make demo` and scripts/serve.sh run
    first, so that sessions survive restarts), else a random key of this process only. Never
    a key published with the code: it would let anyone forge sessions and e-mail links."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    import secrets

    return secrets.token_urlsafe(50)


def _check_production_secret_key(key: str, local_key_path: Path) -> None:
    """Production refuses a missing, short or low-entropy key, Django's « insecure » example
    keys, and the key generated for development in OSEZIA_VAR_DIR (copied over by mistake)."""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY doit être défini en production.")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY est trop faible pour la production : au moins 50 caractères aléatoires."
        )
    try:
        local_key = local_key_path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        local_key = ""
    if key == local_key:
        raise ImproperlyConfigured(
            "SECRET_KEY est la clé générée pour le développement : donnez une clé propre à la "
            "production."
        )


SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FILE = VAR_DIR / "secret_key"  # the development key (manage.py ensure_secret_key)
if PRODUCTION:
    _check_production_secret_key(SECRET_KEY, SECRET_KEY_FILE)
elif not SECRET_KEY:
    SECRET_KEY = _local_secret_key(SECRET_KEY_FILE)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS doit être défini en production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    # django-ninja: only for the Swagger UI assets it ships (served from our static files).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "osezia.socle",
    "osezia.referentiels",
    "osezia.comptes",
    "osezia.entreprises",
    "osezia.diagnostics",
    "osezia.programmes",
    "osezia.catalogue",
    "osezia.academie",
    "osezia.consultation",
    "osezia.ambassadeurs",
    "osezia.expertise",
    "osezia.evenements",
    "osezia.recherche",
    "osezia.api",
    "osezia.portail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "osezia.socle.middleware.RefuseMalformedInputMiddleware",
    "osezia.socle.middleware.ApiAddressLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "osezia.comptes.middleware.OperatorMfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "osezia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osezia.socle.context_processors.site",
            ],
        },
    }
]
if TESTING:
    # Rendering an undefined variable in one of our templates fails the test (config.testing).
    from config.testing import FailOnUndefinedVariable

    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = FailOnUndefinedVariable()

# Database: SQLite file under var/ unless DATABASE_URL says otherwise (its folder is created by
# `make demo` / scripts/serve.sh, or with the development key).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'osezia.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too (not shared-cache memory), so that concurrent transactions wait
    # for each other as they do in production instead of failing on table locks.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_osezia.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("OSEZIA_FAST_PASSWORD_HASHER"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-allauth: e-mail login, mandatory e-mail verification, MFA (TOTP + recovery codes).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Osez l'IA] "
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_SIGNUP_FORM_CLASS = "osezia.comptes.forms.SignupForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Osez l'IA"
LOGIN_REDIRECT_URL = "comptes:espace"
LOGIN_URL = "account_login"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Osez l'IA <ne-pas-repondre@osez-ia.example.fr>"
)

# Background tasks: django-tasks with the database backend (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# A consultation's results are recomputed by a task this many seconds after a vote, at most one
# pending per consultation (votes during the wait are read by that run).
CONSULTATION_RESULTATS_DELAI = int(os.environ.get("CONSULTATION_RESULTATS_DELAI", "30"))

# French everywhere: Django's French formats (month names, « 0,5 ») whatever the process
# locale; figures shown are grouped with `intcomma` (« 15 000 000 »). USE_THOUSAND_SEPARATOR
# stays off: it would group every number a template writes, page numbers and ids in links
# and SVG coordinates included.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # created by collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Security headers; production turns transport security on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_TLS_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): DSFR scripts carry the per-request nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The shared cache: rate limits and short-lived shared state must be counted once for every
# worker and machine. The database cache (table `osezia_cache`, created by `createcachetable`)
# by default; Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "osezia"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "osezia_cache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "osezia"),
            "OPTIONS": {"MAX_ENTRIES": 100000},
        }
    }

# PDF documents (diagnostic report, certificates) are rendered once per content and kept in a
# folder of each machine; at most PDF_MAX_CONCURRENT_RENDERS renders run at once on the whole
# platform (keep it below the web workers of one machine), and a client gets at most
# PDF_RENDERS_PER_CLIENT renders per PDF_RENDER_PERIOD seconds (copies from the cache are not
# counted). See osezia.socle.pdf.
CACHES["pdf"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": os.environ.get("PDF_CACHE_DIR", str(VAR_DIR / "cache" / "pdf")),
    "TIMEOUT": int(os.environ.get("PDF_CACHE_SECONDS", str(7 * 24 * 3600))),
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PDF_CACHE_MAX_ENTRIES", "5000"))},
}
PDF_MAX_CONCURRENT_RENDERS = int(os.environ.get("PDF_MAX_CONCURRENT_RENDERS", "1"))
PDF_RENDERS_PER_CLIENT = int(os.environ.get("PDF_RENDERS_PER_CLIENT", "2"))
PDF_RENDER_PERIOD = int(os.environ.get("PDF_RENDER_PERIOD", "10"))

# The platform's name, as e-mails sign it (allauth's included: not the request's host).
SITE_NAME = os.environ.get("SITE_NAME", "Osez l'IA")
# The platform's public address, for links in e-mails (`https://osez-ia.gouv.fr`).
SITE_URL = os.environ.get(
    "SITE_URL", "" if PRODUCTION else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)

# Reverse proxies in front of the platform: the client is the address the last of them saw
# (see osezia.socle.client). 0 when the platform is reached directly.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Optional connector to the public « Recherche d'entreprises » API: off by default.
RECHERCHE_ENTREPRISES_ENABLED = env_bool("RECHERCHE_ENTREPRISES_ENABLED")
RECHERCHE_ENTREPRISES_URL = os.environ.get(
    "RECHERCHE_ENTREPRISES_URL", "https://recherche-entreprises.api.gouv.fr/search"
)
RECHERCHE_ENTREPRISES_TIMEOUT = float(os.environ.get("RECHERCHE_ENTREPRISES_TIMEOUT", "5"))

# The embedded search index (Tantivy): one folder, written by the task worker and commands.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "index"))

# Contact requests to providers and messages to the operators (contact page): at most this
# many per sender (IP) per hour, each.
CONTACT_RATE_PER_HOUR = int(os.environ.get("CONTACT_RATE_PER_HOUR", "5"))

# CSRF failures answer a French page (JSON under /api/).
CSRF_FAILURE_VIEW = "osezia.socle.views.csrf_failure"

# API throttling (requests per minute), counted in the shared cache: per provider token, per
# logged-in person, per client address for anonymous calls.
API_RATE_PER_MINUTE = {
    "jeton": int(os.environ.get("API_RATE_TOKEN", "600")),
    "compte": int(os.environ.get("API_RATE_USER", "300")),
    "anonyme": int(os.environ.get("API_RATE_ANON", "120")),
    # Every call, before authentication, per address (an office shares one).
    "adresse": int(os.environ.get("API_RATE_ADDRESS", "1200")),
}
# Paths whose calls count per address against their own, wider limit (per minute): a whole
# school, company or mobile network votes in a consultation from one address.
API_ADDRESS_RATE_BY_PREFIX = {
    "/api/v1/consultations/": int(os.environ.get("API_RATE_ADDRESS_CONSULTATION", "6000")),
}

# Consultations: rate limits (answer 429 with Retry-After) and the trust rule (votes kept but
# left out of the scores), see docs/consultation.md.
CONSULTATION_LIMITES = {
    "votes_par_participant_minute": int(os.environ.get("CONSULTATION_VOTES_PARTICIPANT", "30")),
    "votes_par_adresse_minute": int(os.environ.get("CONSULTATION_VOTES_ADRESSE", "3000")),
    "participants_par_adresse_heure": int(
        os.environ.get("CONSULTATION_PARTICIPANTS_ADRESSE", "1000")
    ),
    "propositions_par_participant_heure": int(
        os.environ.get("CONSULTATION_PROPOSITIONS_PARTICIPANT", "10")
    ),
    "signalements_par_participant_heure": int(
        os.environ.get("CONSULTATION_SIGNALEMENTS_PARTICIPANT", "30")
    ),
    "sequences_par_participant_minute": int(
        os.environ.get("CONSULTATION_SEQUENCES_PARTICIPANT", "30")
    ),
    "suggestions_par_adresse_minute": int(
        os.environ.get("CONSULTATION_SUGGESTIONS_ADRESSE", "600")
    ),
    # Trust rule: beyond these, a participant's votes no longer count in the scores.
    "confiance_votes_par_minute": int(os.environ.get("CONSULTATION_CONFIANCE_VOTES", "20")),
    "confiance_participants_par_adresse_heure": int(
        os.environ.get("CONSULTATION_CONFIANCE_PARTICIPANTS", "300")
    ),
}

# Request bodies: at most 1 MiB (no page takes a file upload); the API answers 413 in French.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))
# Endpoints with a larger body cap than DATA_UPLOAD_MAX_MEMORY_SIZE (checked by
# socle.middleware before anything reads the body): a scheduling instance of 2,000 participants
# weighs about 1.4 MB.
API_BODY_LIMITS = {"/api/v1/rencontres/planification": 8 * 1024 * 1024}

NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100
NINJA_PAGINATION_PER_PAGE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
