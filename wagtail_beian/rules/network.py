"""IP addresses of access records and requests (F07, F08)."""

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_public_ip(value) -> str:
    """One public IPv4 or IPv6 address in its canonical text form."""
    text = str(value or "").strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not an IP address. Enter one IPv4 or IPv6 address, e.g. 203.0.113.10."),
            code="ip", params={"value": text},
        ) from None
    if not address.is_global:
        raise ValidationError(
            _("%(value)s is not a public address. Enter the public IP address of the server."),
            code="ip_private", params={"value": text},
        )
    return str(address)


def normalize_ip_list(value) -> list[str]:
    """Public addresses, one per line or separated by commas; at least one."""
    addresses = [normalize_public_ip(part) for part in str(value or "").replace(",", "\n").splitlines() if part.strip()]
    if not addresses:
        raise ValidationError(_("Enter at least one IP address of the server."), code="ip_required")
    return addresses
