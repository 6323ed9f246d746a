"""The filing password (备案密码, F10): write-only, encrypted at rest, purged when done."""

from django.db import models

from ..crypto import decrypt_secret, encrypt_secret


class FilingPasswordMixin(models.Model):
    #: Fernet token of the filing password; never displayed, exported or logged.
    filing_password_encrypted = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_filing_password(self):
        return bool(self.filing_password_encrypted)

    def set_filing_password(self, plaintext):
        """Store the password encrypted (write-only); an empty value clears it."""
        self.filing_password_encrypted = encrypt_secret(plaintext)

    def read_filing_password(self):
        """The plaintext, for the one permission-checked, logged reveal (services.transfers)."""
        return decrypt_secret(self.filing_password_encrypted)

    def purge_filing_password(self):
        self.filing_password_encrypted = ""
