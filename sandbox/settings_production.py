"""Production settings of the sandbox: ``DJANGO_SETTINGS_MODULE=sandbox.settings_production``.

Everything secret or site-specific comes from the environment; nothing insecure has a default.
``python sandbox/manage.py check --deploy`` passes with these (tests/test_security_deploy.py).

Required environment:
  DJANGO_SECRET_KEY       50+ random characters (``python -c "import secrets; print(secrets.token_urlsafe(50))"``)
  DJANGO_ALLOWED_HOSTS    comma-separated host names, e.g. ``beian.example.com``
  BEIAN_DB_*              the PostgreSQL database (see sandbox/settings.py)
  BEIAN_PRIVATE_ROOT      folder of the identity scans, outside MEDIA_ROOT and the web server's reach
Optional:
  WAGTAIL_BEIAN_SECRET_KEY  separate key for the filing passwords at rest (set it once, keep it)
  DJANGO_EMAIL_HOST, DJANGO_EMAIL_PORT (587), DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD,
  DJANGO_DEFAULT_FROM_EMAIL, DJANGO_CSRF_TRUSTED_ORIGINS (comma-separated https://… origins),
  WAGTAILADMIN_BASE_URL, DJANGO_HSTS_SECONDS (default one year)
"""

import os

from sandbox.settings import *


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"Set the environment variable {name} for production.")
    return value


def _list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS") or [_required("DJANGO_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS")
if os.environ.get("WAGTAIL_BEIAN_SECRET_KEY"):
    WAGTAIL_BEIAN_SECRET_KEY = os.environ["WAGTAIL_BEIAN_SECRET_KEY"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# HTTPS only: behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Real mail: an SMTP relay over TLS (the sandbox default prints to the console).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_PORT != 465
EMAIL_USE_SSL = EMAIL_PORT == 465
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production runs on PostgreSQL (BEIAN_DB_ENGINE=postgresql and the other BEIAN_DB_* variables).
DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 60}}

# Scans: a private folder from the environment (or point this alias at private S3 storage).
STORAGES = {
    **STORAGES,
    "wagtail_beian_private": {
        "BACKEND": "wagtail_beian.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": _required("BEIAN_PRIVATE_ROOT")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Errors go to stderr (the process manager collects them); nothing here logs request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
