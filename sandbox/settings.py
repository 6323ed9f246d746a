"""Settings of the sandbox: a Wagtail site that installs wagtail_beian as a hosting company would.

Embedded SQLite by default; set DATABASE_URL-like variables (BEIAN_DB_ENGINE=postgresql, ...) for
PostgreSQL. Not for production as is: see docs/installation.md, "Production settings".
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "sandbox-insecure-key-change-me")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "wagtail_beian",
    "sandbox.home",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sandbox.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "sandbox.wsgi.application"


def _database():
    engine = os.environ.get("BEIAN_DB_ENGINE", "sqlite")
    if engine == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("BEIAN_DB_NAME", "beian"),
            "USER": os.environ.get("BEIAN_DB_USER", "beian"),
            "PASSWORD": os.environ.get("BEIAN_DB_PASSWORD", ""),
            "HOST": os.environ.get("BEIAN_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("BEIAN_DB_PORT", "5432"),
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BEIAN_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


DATABASES = {"default": _database()}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The interface speaks Simplified Chinese to everyone (staff may pick another language in their
# Wagtail profile); there is deliberately no LocaleMiddleware.
LANGUAGE_CODE = "zh-hans"
# Gravatar is unreachable from mainland China: no external request from any admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The password label of Wagtail's login form in the user's language.
WAGTAILADMIN_USER_LOGIN_FORM = "wagtail_beian.admin.auth.LoginForm"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# Identity scans live in a private storage outside MEDIA_ROOT, never served by URL.
# Point the "wagtail_beian_private" alias at S3-compatible storage in production.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "wagtail_beian_private": {
        "BACKEND": "wagtail_beian.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BEIAN_PRIVATE_ROOT", str(BASE_DIR / "private"))},
    },
}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "备案沙盒"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Text messages to customers (wagtail_beian.sms): printed, like the e-mails, in the sandbox.
WAGTAIL_BEIAN_SMS_BACKEND = "wagtail_beian.sms.backends.console.SmsBackend"
DEFAULT_FROM_EMAIL = "beian@example.com"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/portal/"
LOGOUT_REDIRECT_URL = "/"
