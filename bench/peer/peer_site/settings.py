"""A minimal Django project around django-helpdesk 2.6.1: the peer that bench/peer.py measures.

Helpdesk's documented setup (its apps, `sites`, `humanize`, DRF) and Django's defaults otherwise: database
sessions, no cache, DEBUG off. Teams mode is off (it needs pinax-teams, and chainwork has no teams either).
The database is PEER_DATABASE_URL (postgres://user@host:port/name), set by bench/peer.py.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "peer-bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 (bench only)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peer_site.urls"
WSGI_APPLICATION = "peer_site.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

_db = urlparse(os.environ.get("PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peer_helpdesk"))
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": _db.path.lstrip("/"),
    "USER": unquote(_db.username or ""),
    "PASSWORD": unquote(_db.password or ""),
    "HOST": _db.hostname or "",
    "PORT": str(_db.port or ""),
    "CONN_MAX_AGE": 60,  # as chainwork's settings keep connections (env.db's conn_max_age)
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = str(BASE_DIR / "media")
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/tickets/"

HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_KB_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # a seeded ticket never sends mail
