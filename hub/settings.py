"""Customer Success Hub settings: one module, configured from the environment.

Local defaults are safe for a laptop (`make run` exports DATABASE_URL and REDIS_URL for the
embedded services). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and the email settings;
`manage.py check --deploy` is then clean.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def redis_db_url(url, db):
    """The same Redis server as `url`, another logical database (cache apart from the broker)."""
    parts = urlsplit(url)
    if parts.scheme.startswith("redis+socket") or parts.scheme == "unix":
        return url
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY") or ("insecure-local-development-key" if DEBUG else None)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
# Old keys stay valid for checking signatures after a rotation (the links in sent emails, PREF-6).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "hub",
    "profiles",
    "billing",
    "renewals",
    "support",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_htmx",
    "template_partials",
    "simple_history",
    "phonenumber_field",
    "django_countries",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hub.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hub.middleware.StaffMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "hub.urls"
FORM_RENDERER = "hub.forms.HubFormRenderer"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hub.context_processors.hub",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgresql://hub@127.0.0.1:54320/hub"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery's broker (db 0 by default) and the cache (the next db) -------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:63790/0")
REDIS_CACHE_URL = env("REDIS_CACHE_URL") or redis_db_url(
    REDIS_URL, int(urlsplit(REDIS_URL).path.strip("/") or 0) + 1
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "KEY_PREFIX": "hub",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "hub.User"
AUTHENTICATION_BACKENDS = ["hub.backends.HubAuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "hub:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "hub.adapters.HubAccountAdapter"
SOCIALACCOUNT_ADAPTER = "hub.adapters.HubSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# AUTH-4: allauth's limits, stored in the Redis cache so every web node shares them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    # AUTH-2: emailed sign-in codes (per address and per IP) and the organization-id form of
    # "Sign in with SSO" (per IP, so organization ids cannot be scanned for SSO).
    "request_login_code": "10/m/ip,3/10m/key",
    "sso_start": "10/m/ip,60/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_RECOVERY_CODE_COUNT = 10
# One 30-second step either side: phones whose clocks drift a little, and a code typed as it rolls
# over, still work (RFC 6238 §5.2). A code is accepted once (allauth remembers used codes).
MFA_TOTP_TOLERANCE = 1
SOCIALACCOUNT_PROVIDERS = {}
# AUTH-2: each organization's identity provider is a SocialApp row (hub/sso); users are matched by
# the hub itself within that organization only, never by allauth's global email matching.
ACCOUNT_FORMS = {"login": "hub.sso.forms.HubLoginForm"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# How long the FedRAMP system-use notification, accepted on the FedRAMP sign-in page, covers the
# sign-in that follows (an SSO round trip included).
HUB_FEDRAMP_NOTICE_MAX_AGE = 30 * 60
# AUTH-3: staff reach the admin only with MFA. On by default in production, off for `make run`.
HUB_ADMIN_REQUIRES_MFA = env_bool("HUB_ADMIN_REQUIRES_MFA", default=not DEBUG)

# --- Internationalization ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("es", "Español"),
    ("nl", "Nederlands"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "hub_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".hub" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Customer Success Hub <hub@example.com>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- The vendor ----------------------------------------------------------------------------
HUB_VENDOR_NAME = env("HUB_VENDOR_NAME", "Acme Cloud")
HUB_VENDOR_LOGO = env("HUB_VENDOR_LOGO", "img/logo.svg")
HUB_PUBLIC_URL = env("HUB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
HUB_PRODUCT_URL = env("HUB_PRODUCT_URL", "https://app.example.com/")
HUB_USER_ADMIN_URL = env("HUB_USER_ADMIN_URL", "https://app.example.com/admin/users/")
HUB_COMMUNITY_NAME = env("HUB_COMMUNITY_NAME", "Community")
HUB_COMMUNITY_URL = env("HUB_COMMUNITY_URL", "https://community.example.com/")
HUB_ACADEMY_NAME = env("HUB_ACADEMY_NAME", "Academy")
HUB_ACADEMY_URL = env("HUB_ACADEMY_URL", "https://academy.example.com/")
HUB_STATUS_URL = env("HUB_STATUS_URL", "https://status.example.com/")
HUB_SUPPORT_HELP_URL = env("HUB_SUPPORT_HELP_URL", "https://support.example.com/")
HUB_ACCOUNT_SERVICES_EMAIL = env("HUB_ACCOUNT_SERVICES_EMAIL", "account-services@example.com")
# REN-6: renewal invoices are sent this many days before the renewal date (or the day after a
# later submission).
RENEWAL_INVOICE_DAYS_BEFORE = int(env("RENEWAL_INVOICE_DAYS_BEFORE", "30"))
# PRO-7: where self-service brand administrators manage (and free users upgrade) their license.
HUB_LICENSE_URL = env("HUB_LICENSE_URL", "https://app.example.com/admin/license/")

# --- Connected accounts (CON-4): Community and Academy APIs, synced daily -------------------
# The adapter class; the default speaks the HTTP JSON protocol described in the README. With
# neither API URL set the sync is skipped (one log line) and the stored records stay as they are.
HUB_CONNECTED_ACCOUNTS_ADAPTER = env(
    "HUB_CONNECTED_ACCOUNTS_ADAPTER", "profiles.adapters.connected.HttpJsonConnectedAccounts"
)
HUB_COMMUNITY_API_URL = env("HUB_COMMUNITY_API_URL", "")
HUB_COMMUNITY_API_TOKEN = env("HUB_COMMUNITY_API_TOKEN", "")
HUB_ACADEMY_API_URL = env("HUB_ACADEMY_API_URL", "")
HUB_ACADEMY_API_TOKEN = env("HUB_ACADEMY_API_TOKEN", "")
HUB_CONNECTED_API_TIMEOUT = float(env("HUB_CONNECTED_API_TIMEOUT", "10"))
HUB_CONNECTED_SYNC_BATCH_SIZE = int(env("HUB_CONNECTED_SYNC_BATCH_SIZE", "100"))

# --- Billing -------------------------------------------------------------------------------
# BILL-4: security and privacy documents linked at the bottom of the billing page, in this order.
# Set a variable to an empty string to hide that link.
HUB_SECURITY_DOCUMENTS = {
    "trust_center": env("HUB_TRUST_CENTER_URL", "https://trust.example.com/"),
    "security_overview": env("HUB_SECURITY_OVERVIEW_URL", "https://trust.example.com/security/"),
    "privacy_statement": env("HUB_PRIVACY_STATEMENT_URL", "https://www.example.com/legal/privacy/"),
    "terms_of_service": env("HUB_TERMS_OF_SERVICE_URL", "https://www.example.com/legal/terms/"),
    "data_processing_agreement": env("HUB_DPA_URL", "https://www.example.com/legal/dpa/"),
    "subprocessors": env("HUB_SUBPROCESSORS_URL", "https://trust.example.com/subprocessors/"),
}

# --- Support (SUP-5, SUP-6) ------------------------------------------------------------------
# Replies to ticket emails come back to <local>+cs-004211.<signature>@<domain> of this address.
HUB_SUPPORT_REPLY_ADDRESS = env("HUB_SUPPORT_REPLY_ADDRESS", "support@example.com")
# The inbound-email webhook answers 404 until a secret is set (HMAC-SHA256 of "<timestamp>.<body>").
HUB_INBOUND_EMAIL_SECRET = env("HUB_INBOUND_EMAIL_SECRET", "")
HUB_INBOUND_EMAIL_MAX_BYTES = int(env("HUB_INBOUND_EMAIL_MAX_BYTES", str(30 * 1024 * 1024)))
# A Maildir that beat reads every minute for ticket replies (empty: off; `fetch_support_mail` by hand).
HUB_SUPPORT_MAILDIR = env("HUB_SUPPORT_MAILDIR", "")
HUB_SUPPORT_ATTACHMENT_MAX_BYTES = int(env("HUB_SUPPORT_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
HUB_SUPPORT_ATTACHMENT_MAX_FILES = int(env("HUB_SUPPORT_ATTACHMENT_MAX_FILES", "5"))
HUB_SUPPORT_ATTACHMENT_MAX_TOTAL_BYTES = int(env("HUB_SUPPORT_ATTACHMENT_MAX_TOTAL_BYTES", str(20 * 1024 * 1024)))
HUB_SUPPORT_RATE_LIMITS = {
    "create_ticket": env("HUB_SUPPORT_RATE_LIMIT_CREATE", "5/10m/user,30/d/user,20/h/ip"),
    "reply_ticket": env("HUB_SUPPORT_RATE_LIMIT_REPLY", "20/10m/user,60/h/ip"),
    "chat_message": env("HUB_SUPPORT_RATE_LIMIT_CHAT", "30/m/user,200/h/user"),
    "assistant_question": env("HUB_ASSISTANT_RATE_LIMIT", "20/10m/user,200/d/user,100/h/ip"),
}
HUB_SUPPORT_CLOSE_SOLVED_AFTER_DAYS = int(env("HUB_SUPPORT_CLOSE_SOLVED_AFTER_DAYS", "7"))

# --- Phone callbacks (CB-2, CB-3) ------------------------------------------------------------
# The Erlang C wait estimate: arrival rate over the last ARRIVAL_WINDOW minutes, average handle
# time of the calls completed in the last HANDLE_TIME_DAYS days (DEFAULT_HANDLE_MINUTES until
# HANDLE_TIME_MIN_CALLS calls are known for a language and area, then for the whole queue).
HUB_CALLBACK_ARRIVAL_WINDOW_MINUTES = int(env("HUB_CALLBACK_ARRIVAL_WINDOW_MINUTES", "60"))
HUB_CALLBACK_HANDLE_TIME_DAYS = int(env("HUB_CALLBACK_HANDLE_TIME_DAYS", "30"))
HUB_CALLBACK_HANDLE_TIME_MIN_CALLS = int(env("HUB_CALLBACK_HANDLE_TIME_MIN_CALLS", "5"))
HUB_CALLBACK_DEFAULT_HANDLE_MINUTES = float(env("HUB_CALLBACK_DEFAULT_HANDLE_MINUTES", "8"))
# CB-3: offer English when the chosen language's wait is at least RATIO times English's and at
# least MIN_MINUTES longer.
HUB_CALLBACK_ENGLISH_OFFER_RATIO = float(env("HUB_CALLBACK_ENGLISH_OFFER_RATIO", "2"))
HUB_CALLBACK_ENGLISH_OFFER_MIN_MINUTES = float(env("HUB_CALLBACK_ENGLISH_OFFER_MIN_MINUTES", "15"))
# --- Scheduled calls (SCH-1) -----------------------------------------------------------------
# Call length (also the slot grid, aligned to UTC), the earliest bookable start from now, and how
# many days ahead customers may book.
HUB_SCHEDULED_CALL_MINUTES = int(env("HUB_SCHEDULED_CALL_MINUTES", "30"))
HUB_SCHEDULED_CALL_LEAD_MINUTES = int(env("HUB_SCHEDULED_CALL_LEAD_MINUTES", "120"))
HUB_SCHEDULED_CALL_DAYS_AHEAD = int(env("HUB_SCHEDULED_CALL_DAYS_AHEAD", "14"))

# --- Knowledge base and support assistant (AST-1..4) -------------------------------------------
HUB_KB_ARTICLES_DIR = env("HUB_KB_ARTICLES_DIR", str(BASE_DIR / "support" / "kb_articles"))
# An answer needs its best article to score at least this (ts_rank, length-normalized); below it
# the assistant says it does not know.
HUB_ASSISTANT_MIN_SCORE = float(env("HUB_ASSISTANT_MIN_SCORE", "0.05"))
# Japanese is indexed as character bigrams, whose scores run lower for the same relevance.
HUB_ASSISTANT_MIN_SCORE_BIGRAMS = float(env("HUB_ASSISTANT_MIN_SCORE_BIGRAMS", "0.025"))
# "No" votes on answers citing an article before one knowledge-base task is opened for it.
HUB_ASSISTANT_NO_VOTES_FOR_TASK = int(env("HUB_ASSISTANT_NO_VOTES_FOR_TASK", "3"))
# Optional generative backend: an OpenAI-compatible endpoint (…/v1). Empty: extractive answers.
HUB_ASSISTANT_LLM_URL = env("HUB_ASSISTANT_LLM_URL", "")
HUB_ASSISTANT_LLM_API_KEY = env("HUB_ASSISTANT_LLM_API_KEY", "")
HUB_ASSISTANT_LLM_MODEL = env("HUB_ASSISTANT_LLM_MODEL", "gpt-4o-mini")
HUB_ASSISTANT_LLM_TIMEOUT = float(env("HUB_ASSISTANT_LLM_TIMEOUT", "15"))

# --- Email preferences (PREF-7, PREF-8) ------------------------------------------------------
# The mailing system: the adapter class, and for the default HTTP JSON adapter its base URL
# (https://…) and the shared secret that signs every request. With no URL the sync runs, records
# "no mailing system configured" in the admin, and changes wait in the outbox.
HUB_MAILING_SYSTEM_ADAPTER = env("HUB_MAILING_SYSTEM_ADAPTER", "profiles.preferences.adapter.HttpJsonMailingSystem")
HUB_MAILING_SYSTEM_URL = env("HUB_MAILING_SYSTEM_URL", "")
HUB_MAILING_SYSTEM_SECRET = env("HUB_MAILING_SYSTEM_SECRET", "")
HUB_MAILING_SYSTEM_TIMEOUT = float(env("HUB_MAILING_SYSTEM_TIMEOUT", "10"))
HUB_MAILING_SYSTEM_MAX_ATTEMPTS = int(env("HUB_MAILING_SYSTEM_MAX_ATTEMPTS", "4"))
HUB_MAILING_SYSTEM_BACKOFF = float(env("HUB_MAILING_SYSTEM_BACKOFF", "1"))
HUB_MAILING_SYSTEM_BATCH_SIZE = int(env("HUB_MAILING_SYSTEM_BATCH_SIZE", "500"))
# PREF-8: where the other notifications are managed.
HUB_STATUS_SUBSCRIBE_URL = env("HUB_STATUS_SUBSCRIBE_URL", HUB_STATUS_URL)
HUB_PRODUCT_NOTIFICATIONS_URL = env("HUB_PRODUCT_NOTIFICATIONS_URL", "https://app.example.com/settings/notifications/")
HUB_COMMUNITY_NOTIFICATIONS_URL = env("HUB_COMMUNITY_NOTIFICATIONS_URL", HUB_COMMUNITY_URL)
HUB_ACADEMY_NOTIFICATIONS_URL = env("HUB_ACADEMY_NOTIFICATIONS_URL", HUB_ACADEMY_URL)

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
# Tasks are idempotent: acknowledge after running, redeliver if a worker dies mid-task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".hub" / "celerybeat-schedule"))
# One schedule for every periodic job. Keys say cadence and purpose; crontabs run in UTC
# unless a rule names its own zone (nowfun in the task's schedule).
CELERY_BEAT_SCHEDULE = {
    "every-minute-worker-heartbeat": {
        "task": "hub.tasks.record_heartbeat",
        "schedule": 60.0,
    },
    "every-5-minutes-requeue-stalled-emails": {
        "task": "hub.tasks.requeue_stalled_emails",
        "schedule": crontab(minute="*/5"),
    },
    # REN-8: contract window reminders. Each contract's window is counted in its organization's
    # time zone by the task; 13:00 UTC is morning in the Americas and afternoon in Europe.
    "daily-contract-window-reminders": {
        "task": "billing.tasks.send_contract_reminders",
        "schedule": crontab(hour=13, minute=0),
    },
    "daily-sync-connected-accounts": {
        "task": "profiles.tasks.connected.start_connected_accounts_sync",
        "schedule": crontab(hour=2, minute=30),
    },
    # ENT-2: the Enterprise window opens Sunday 17:00 America/Denver; the task checks the hours
    # itself (DST included), so a plain minute cadence hands requests over within a minute.
    "every-minute-enterprise-handover": {
        "task": "support.tasks.hand_over_enterprise_tickets",
        "schedule": 60.0,
    },
    "daily-close-solved-tickets": {
        "task": "support.tasks.close_solved_tickets",
        "schedule": crontab(hour=3, minute=20),
    },
    # PREF-7: the 24-hour sync with the mailing system, and opt-outs relayed within minutes.
    "daily-sync-email-preferences": {
        "task": "profiles.preferences.sync_email_preferences",
        "schedule": crontab(hour=3, minute=17),
    },
    "every-5-minutes-relay-email-opt-outs": {
        "task": "profiles.preferences.relay_email_opt_outs",
        "schedule": crontab(minute="*/5"),
    },
    # SUP-7: chats end when chat hours end (or no agent is left online for a waiting one); the
    # customer is offered email or a call.
    "every-minute-end-closed-chats": {
        "task": "support.tasks.end_closed_chats",
        "schedule": 60.0,
    },
}
if HUB_SUPPORT_MAILDIR:
    CELERY_BEAT_SCHEDULE["every-minute-fetch-support-mail"] = {
        "task": "support.tasks.fetch_support_mail",
        "schedule": 60.0,
    }

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# SEC-2: no inline script, no eval; htmx and every script come from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF] + env_list("CSP_FORM_ACTION_EXTRA"),
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging: one JSON object per line ------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "hub.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"level": "INFO"},
    },
}
