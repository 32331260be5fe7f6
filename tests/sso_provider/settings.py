"""Settings of the test identity provider. Everything comes from its work folder (SSO_PROVIDER_DIR):
the SQLite database, the RSA key generated at start and seed.json (users and OAuth clients)."""

import json
import os
import secrets
from pathlib import Path

WORK_DIR = Path(os.environ["SSO_PROVIDER_DIR"])
SEED = json.loads((WORK_DIR / "seed.json").read_text())

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.sso_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": WORK_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/login/"
# The provider runs on 127.0.0.1 and the hub on another host name, but distinct cookie names keep
# the two sessions apart even if both ran on the same host.
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrftoken"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (WORK_DIR / "signing-key.pem").read_text(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "Email address"},
    "OAUTH2_VALIDATOR_CLASS": "tests.sso_provider.validators.ProviderValidator",
}
# email_verified per user, as the seed says (a real directory may or may not vouch for an address).
EMAIL_VERIFIED = {user["username"]: user.get("email_verified", True) for user in SEED["users"]}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
