"""Test settings: the sandbox's, with a throw-away private storage and fast hashing."""

import atexit
import os
import shutil
import tempfile

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import STORAGES

# Scans written by the tests go to a throw-away folder, removed when the test run ends.
PRIVATE_ROOT = tempfile.mkdtemp(prefix="beian-private-")
atexit.register(shutil.rmtree, PRIVATE_ROOT, ignore_errors=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "wagtail_beian_private": {
        "BACKEND": "wagtail_beian.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT},
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAIL_BEIAN_SMS_BACKEND = "wagtail_beian.sms.backends.locmem.SmsBackend"
LANGUAGE_CODE = os.environ.get("BEIAN_TEST_LANGUAGE", "zh-hans")
