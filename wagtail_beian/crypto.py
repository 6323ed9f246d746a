"""Encryption at rest of the filing password (备案密码, F10): write-only, never shown again.

The password is encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``). The
Fernet key is derived with HKDF-SHA256 from a site secret and a fixed application salt:

* ``settings.WAGTAIL_BEIAN_SECRET_KEY`` when it is set (recommended: a separate secret, so rotating
  Django's ``SECRET_KEY`` for sessions does not make stored passwords unreadable);
* otherwise ``settings.SECRET_KEY``.

Changing the secret makes passwords stored under the old one unreadable; they are short-lived
anyway (purged when the ticket is resolved). Only ciphertext is stored; nothing here logs.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

#: Fixed application salt: the same site secret gives a different key here than anywhere else.
HKDF_SALT = b"wagtail_beian/tickets/filing-password/v1"
HKDF_INFO = b"wagtail_beian filing password (Fernet key)"


def site_secret():
    secret = getattr(settings, "WAGTAIL_BEIAN_SECRET_KEY", None) or settings.SECRET_KEY
    return secret.encode() if isinstance(secret, str) else bytes(secret)


def derive_key(secret=None):
    """The urlsafe-base64 Fernet key derived from ``secret`` (default: the site secret)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO).derive(
        site_secret() if secret is None else secret
    )
    return base64.urlsafe_b64encode(raw)


def _fernet():
    return Fernet(derive_key())


def encrypt_secret(plaintext):
    """The Fernet token (text) for ``plaintext``; the empty string stays empty."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_secret(token):
    """The plaintext of a token; ``None`` when it cannot be read (wrong key, tampered)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None
