"""Website domains (W01): the registered domain, in one canonical form (lower-case A-label).

``例子.中国``, ``例子。中国`` and ``xn--fsqu00a.xn--fiqs8s`` are one domain; comparing
domains (W02 conflicts) is only sound on this one form.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from publicsuffixlist import PublicSuffixList

from ._messages import fail


@functools.cache
def _psl() -> PublicSuffixList:
    # ICANN section only: names under private suffixes (foo.github.io) are not bought from a
    # registrar, so they have no domain certificate to file; their registered domain is the
    # provider's (github.io). accept_unknown=False: an unknown TLD cannot be filed either.
    return PublicSuffixList(accept_unknown=False, only_icann=True)


_URL_HINT = re.compile(r"[/:?#@\\]")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _to_ascii(host: str, value) -> str:
    try:
        return idna.encode(host, uts46=True, std3_rules=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise fail(
            _(
                "%(value)s is not a valid domain name. Enter the registered domain only, "
                "e.g. example.com or 例子.中国 (letters, digits and hyphens, no spaces)."
            ),
            "invalid",
            value=value,
        ) from None


def _registered(ascii_host: str, value) -> str:
    psl = _psl()
    if psl.publicsuffix(ascii_host) is None:
        raise fail(
            _(
                "%(value)s does not end in a known top-level domain. Enter the domain you "
                "registered with a registrar, e.g. example.com or example.cn."
            ),
            "invalid",
            value=value,
        )
    registered = psl.privatesuffix(ascii_host)
    if registered is None:
        raise fail(
            _(
                "%(value)s is a public suffix that anyone can register under, not a domain. "
                "Enter your own registered domain, e.g. example.%(value)s."
            ),
            "public_suffix",
            value=value,
        )
    return registered


def _host_of_url(text: str) -> str | None:
    candidate = text if "//" in text else "//" + text
    try:
        parts = urlsplit(candidate)
        return parts.hostname
    except ValueError:
        return None


def normalize_domain(value) -> str:
    """The registered domain as a lower-case ASCII A-label; anything else is refused (W01)."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    if not text:
        raise fail(_("Enter the website's domain, e.g. example.com."), "required")
    if "@" in text and "/" not in text:
        raise fail(
            _(
                "%(value)s is an e-mail address. Enter only the website's registered domain, "
                "e.g. example.com."
            ),
            "invalid",
            value=value,
        )
    if _URL_HINT.search(text) and not _is_ip_address(text):
        host = _host_of_url(text)
        if host and not _is_ip_address(host):
            try:
                ascii_host = _to_ascii(host.rstrip("."), value)
                suggestion = domain_to_unicode(_registered(ascii_host, value))
            except ValidationError:
                suggestion = None
            if suggestion:
                raise fail(
                    _(
                        "%(value)s is a web address, not a domain. Enter only the registered "
                        "domain: %(domain)s (no http://, path or port)."
                    ),
                    "url",
                    value=value,
                    domain=suggestion,
                )
        if host and _is_ip_address(host):
            text = host
        else:
            raise fail(
                _(
                    "%(value)s is not a domain name. Enter only the registered domain, e.g. "
                    "example.com (no http://, path or port)."
                ),
                "url",
                value=value,
            )
    if _is_ip_address(text):
        raise fail(
            _(
                "%(value)s is an IP address. A site reachable only by IP address still needs a "
                "filing: register a domain and enter it here, e.g. example.com."
            ),
            "ip_address",
            value=value,
        )
    if text.endswith((".", "。", "．", "｡")):
        text = text[:-1]
    if any(ch.isspace() for ch in text):
        raise fail(
            _("%(value)s contains spaces. Enter one domain only, e.g. example.com."),
            "invalid",
            value=value,
        )
    ascii_host = _to_ascii(text, value)
    registered = _registered(ascii_host, value)
    if registered != ascii_host:
        raise fail(
            _(
                "%(value)s is a subdomain. File the registered domain %(domain)s instead; "
                "its subdomains (such as www.%(domain)s) are covered by that filing."
            ),
            "subdomain",
            value=value,
            domain=domain_to_unicode(registered),
        )
    return registered


def domain_to_unicode(domain: str) -> str:
    """``xn--fsqu00a.xn--fiqs8s`` → ``例子.中国`` for display; unchanged if it can't decode."""
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        return domain


def default_homepage(domain: str) -> str:
    """The default homepage of a filed domain (W01): ``www.`` + the domain."""
    return "www." + domain


def registered_domain_of(host) -> str | None:
    """The registered domain a host name belongs to (``www.例子.中国`` → ``xn--fsqu00a.xn--fiqs8s``).

    For looking a site up, not for filing: subdomains are welcome here; ``None`` when the host has
    no registered domain (an IP address, ``localhost``, a bare public suffix or junk).
    """
    text = str(host or "").strip().rstrip(".").lower()
    if not text or _is_ip_address(text):
        return None
    try:
        return _registered(_to_ascii(text, host), host)
    except ValidationError:
        return None
