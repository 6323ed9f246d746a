"""Importing the list of domains the provider actually serves (F08: actual access).

The list is plain text or CSV: one host per line, or a column of a CSV file (the column headed
``domain``, ``host``, ``hostname``, ``域名`` or ``主机名``; without such a header, the first column).
Empty lines and lines starting with ``#`` are skipped. A host may be a registered domain
(``example.com``), a host name (``www.example.com``, folded into its registered domain) or a web
address (``https://shop.example.com/path``). IP addresses, public suffixes and junk are errors,
reported with their line number.

Modes:

* ``merge`` (default): the listed domains are added; the ones already imported stay;
* ``replace``: afterwards the list holds exactly the listed domains (the others are removed).

On any error nothing is written, unless ``skip_errors`` is given: then the good lines are
imported and the bad ones reported. Either way the import is one transaction.
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import HostedDomain
from ..rules.domains import registered_domain_of

MERGE, REPLACE = "merge", "replace"
HEADERS = {"domain", "domains", "host", "hosts", "hostname", "域名", "主机名", "网站域名"}
MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 200_000


@dataclass
class LineError:
    line: int
    value: str
    message: str

    def __str__(self):
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParsedList:
    domains: dict = field(default_factory=dict)  # registered domain → set of hosts
    errors: list = field(default_factory=list)
    lines: int = 0


@dataclass
class ImportResult:
    added: int = 0
    kept: int = 0
    removed: int = 0
    errors: list = field(default_factory=list)
    written: bool = False


def decode(data):
    """UTF-8 (with or without BOM), else GB18030 (spreadsheets saved on Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor GB18030 text. Save it as UTF-8 text or CSV."))


def _rows(text):
    """(line number, cell) of the host column."""
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    is_csv = any(sep in sample for sep in (",", "\t", ";"))
    if not is_csv:
        for number, line in enumerate(lines, start=1):
            yield number, line
        return
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    column = 0
    for index, row in enumerate(reader):
        number = reader.line_num
        if index == 0:
            names = [cell.strip().lower() for cell in row]
            found = next((i for i, name in enumerate(names) if name in HEADERS), None)
            if found is not None:
                column = found
                continue
        yield number, row[column] if len(row) > column else ""


def host_of(value):
    """The host of a line: ``https://www.example.com/x`` → ``www.example.com``."""
    text = value.strip()
    if "://" in text or "/" in text:
        try:
            text = urlsplit(text if "://" in text else "//" + text).hostname or ""
        except ValueError:
            return ""
    return text.strip().rstrip(".").lower()


def parse_hosted_domains(text):
    """Parse the list: each good line's registered domain, each bad line's error (by line number)."""
    parsed = ParsedList()
    for number, cell in _rows(text):
        parsed.lines = number
        value = cell.strip()
        if not value or value.startswith("#"):
            continue
        if number > MAX_LINES:
            parsed.errors.append(LineError(number, "", _("The list is too long: split it into files of at most %(max)s lines.") % {"max": MAX_LINES}))
            break
        host = host_of(value)
        domain = registered_domain_of(host) if host else None
        if domain is None:
            parsed.errors.append(LineError(number, value, _(
                "“%(value)s” is not a domain or host name (IP addresses and public suffixes such as com.cn "
                "are not accepted). Write one domain per line, e.g. example.com or www.example.com."
            ) % {"value": value[:100]}))
            continue
        parsed.domains.setdefault(domain, set()).add(host)
    return parsed


def import_hosted_domains(data, user=None, *, mode=MERGE, skip_errors=False):
    """Import the list in ``data`` (bytes or text); return an :class:`ImportResult`."""
    if mode not in (MERGE, REPLACE):
        raise ValueError(mode)
    result = ImportResult()
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            result.errors.append(LineError(0, "", _("The file is larger than 5 MB: split it.")))
            return result
        try:
            data = decode(data)
        except ValueError as error:
            result.errors.append(LineError(0, "", str(error)))
            return result
    parsed = parse_hosted_domains(data)
    result.errors = parsed.errors
    if parsed.errors and not skip_errors:
        return result
    if not parsed.domains and mode == REPLACE:
        result.errors.append(LineError(0, "", _("The list has no domain: replacing would empty the list. Nothing was changed.")))
        return result
    now = timezone.now()
    with transaction.atomic():
        existing = dict(HostedDomain.objects.select_for_update().values_list("domain", "pk"))
        new = [
            HostedDomain(domain=domain, hosts="\n".join(sorted(hosts)), imported_at=now, imported_by=user)
            for domain, hosts in sorted(parsed.domains.items()) if domain not in existing
        ]
        HostedDomain.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        result.added = len(new)
        result.kept = len(set(existing) & set(parsed.domains))
        if mode == REPLACE:
            stale = [pk for domain, pk in existing.items() if domain not in parsed.domains]
            for start in range(0, len(stale), 1000):
                HostedDomain.objects.filter(pk__in=stale[start:start + 1000]).delete()
            result.removed = len(stale)
        result.written = True
    return result
