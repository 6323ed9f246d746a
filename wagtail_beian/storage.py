"""Private storage for identity scans: never MEDIA_ROOT, never a guessable URL.

Configure the ``wagtail_beian_private`` alias in Django's ``STORAGES`` (e.g. S3-compatible storage
with private ACLs). Without it, files go to ``WAGTAIL_BEIAN_PRIVATE_ROOT`` (default:
``<BASE_DIR>/beian_private``) with no base URL, so Django can never build a public link.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

STORAGE_ALIAS = "wagtail_beian_private"


class PrivateFileSystemStorage(FileSystemStorage):
    """File-system storage that has no URL at all: files are served only by a checked view."""

    def url(self, name):
        raise ValueError("Identity scans have no public URL; serve them through the permission-checked view.")


def private_storage():
    try:
        return storages[STORAGE_ALIAS]
    except InvalidStorageError:
        root = getattr(settings, "WAGTAIL_BEIAN_PRIVATE_ROOT", None)
        if root is None:
            base = getattr(settings, "BASE_DIR", None)
            if base is None:
                raise ImproperlyConfigured(
                    "Configure STORAGES['wagtail_beian_private'] or WAGTAIL_BEIAN_PRIVATE_ROOT."
                ) from None
            root = Path(base) / "beian_private"
        return PrivateFileSystemStorage(location=root)


def check_private_storage_outside_media_root():
    """True when a file-system private storage is not inside MEDIA_ROOT (would be served)."""
    storage = private_storage()
    location = getattr(storage, "location", None)
    media_root = getattr(settings, "MEDIA_ROOT", "")
    if not location or not media_root:
        return True
    return not Path(location).resolve().is_relative_to(Path(media_root).resolve())


def random_scan_name(instance, filename):
    """Stored name: random, with the checked extension only; the original name is kept in the DB."""
    suffix = Path(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".pdf"}:
        suffix = ""
    return f"beian/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}{suffix}"
