"""Test settings: the sandbox's, with a throw-away private storage and fast hashing."""

import os
import tempfile

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "wagtail_beian_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="beian-private-"), "base_url": None},
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = os.environ.get("BEIAN_TEST_LANGUAGE", "zh-hans")
