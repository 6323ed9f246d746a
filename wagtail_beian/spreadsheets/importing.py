"""The import engine: check a sheet (every row new / update / unchanged / invalid), then write it.

:func:`analyse` reads the table, parses every cell, normalises through the rules (one place:
``wagtail_beian.rules``), groups rows into filings, finds conflicts inside the file and against
the database (R08 subjects, W02 domains) and runs the pre-flight rules; it writes nothing.
Database work is set-based: the number of queries does not depend on the number of rows.

:func:`write` takes an :class:`Analysis` without invalid rows and writes it all-or-nothing in one
transaction with bulk inserts and updates. Because bulk writes bypass ``save()``, signals and the
state machine, everything they would do is done here: normalisation and conflict checks (above,
and again under row locks), the Wagtail audit log entry of every created or updated filing.

Ownership: every filing needs a customer. Rows name it in the ``customer`` column; rows without
one get the customer chosen for the import; without either the row is invalid (an imported
filing is never owned by nobody and never by the importing clerk by accident).

State: imported filings are drafts. The ``state`` column is read only with ``take_states`` and a
user holding both the import and the bureau-decision permission, only for new filings, and each
such filing gets its own ``wagtail_beian.import_state`` log entry.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from .. import permissions as perms
from ..models import Access, Filing, FilingKind, FilingState, Subject, Website
from ..models.states import PROVIDER_EDITABLE_STATES, TERMINAL_STATES
from ..rules.contacts import normalize_email, normalize_landline, normalize_mobile
from ..rules.domains import default_homepage, normalize_domain
from ..rules.identity import mask_certificate_number, normalize_certificate
from ..rules.numbers import parse_filing_number, parse_subject_number
from ..models.conflicts import domain_conflict_message, subject_conflict_message
from ..rules.preflight import ERROR, FilingData, run_preflight
from ..services.preflight import PERSON_FIELDS, CodeSnapshot, subject_data, website_data
from . import columns as C
from .parsing import (
    CellError,
    CodeLookup,
    display,
    has_control_characters,
    is_blank,
    parse_cell,
    user_lookup,
)
from .reading import Table

NEW, UPDATE, UNCHANGED, INVALID = "new", "update", "unchanged", "invalid"
# gettext_lazy by its own name: makemessages (xgettext) does not see an alias such as _lazy.
STATUS_LABELS = {
    NEW: gettext_lazy("new"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
    INVALID: gettext_lazy("invalid"),
}
#: Queries use IN lists of at most this many values (SQLite's variable limit is 32766).
CHUNK = 10_000

LOG_CREATE = "wagtail_beian.import_create"
LOG_UPDATE = "wagtail_beian.import_update"
LOG_STATE = "wagtail_beian.import_state"

_NORMALIZERS = {
    "responsible_mobile": normalize_mobile,
    "responsible_landline": normalize_landline,
    "responsible_email": normalize_email,
}
_SUBJECT_COLUMNS = [c for c in C.IMPORT_COLUMNS if c.model == "subject"]
_WEBSITE_COLUMNS = [c for c in C.IMPORT_COLUMNS if c.model == "website"]
_ACCESS_COLUMNS = [c for c in C.IMPORT_COLUMNS if c.model == "access"]
_M2M = {"service_contents", "pre_approval_categories"}

#: Pre-flight field paths → column keys.
_PREFLIGHT_SUBJECT = {
    "nature_code": "nature", "province_code": "province", "name": "subject_name",
    **{f"responsible_{p}": f"subject_responsible_{p}" for p in PERSON_FIELDS},
}
_PREFLIGHT_WEBSITE = {
    "name": "website_name", "service_content_codes": "service_contents",
    "pre_approval_category_codes": "pre_approval_categories",
    **{f"responsible_{p}": f"website_responsible_{p}" for p in PERSON_FIELDS},
}


class ImportRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why.

    ``issues`` lists the cells that caused it when there are any (e.g. a domain filed by a
    concurrent import between the check and the write); those rows are then marked invalid.
    """

    def __init__(self, message, issues=()):
        super().__init__(message)
        self.message = str(message)
        self.issues = list(issues)


@dataclass
class Issue:
    row: int
    column: str
    header: str
    value: str
    message: str
    suggestion: str = ""
    rule: str = ""
    severity: str = ERROR

    def as_dict(self):
        return self.__dict__.copy()


@dataclass
class Row:
    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    status: str = NEW
    group: object = None
    website: Website | None = None
    changes: list = field(default_factory=list)
    #: {key: refusal} of an organizer certificate number whose only fault is its checksum: accepted
    #: when it is the stored number a reviewer already accepted (R06 override), refused otherwise.
    unchecked: dict = field(default_factory=dict)

    @property
    def errors(self):
        return [i for i in self.issues if i.severity == ERROR]

    def error(self, key, message, suggestion="", rule=""):
        self.issues.append(_issue(self, key, message, suggestion, rule))

    def warning(self, key, message, suggestion="", rule=""):
        self.issues.append(_issue(self, key, message, suggestion, rule, severity="warning"))


def _issue(row, key, message, suggestion="", rule="", severity=ERROR):
    header = C.column(key).header() if key else ""
    value = display(row.raw.get(key)) if key else ""
    return Issue(row.number, key or "", header, value, str(message), str(suggestion), rule, severity)


@dataclass
class Group:
    """The rows of one filing (new: same customer and organizer certificate; update: same filing ID)."""

    key: tuple
    rows: list = field(default_factory=list)
    filing: Filing | None = None
    owner: object = None
    subject: dict = field(default_factory=dict)
    subject_changes: list = field(default_factory=list)
    state: str = ""
    subject_number: str = ""

    @property
    def first(self):
        return self.rows[0]

    @property
    def valid(self):
        return not any(r.errors for r in self.rows)


@dataclass
class Analysis:
    rows: list
    groups: list
    columns: list
    notices: list = field(default_factory=list)
    skipped_empty_rows: int = 0
    take_states: bool = False

    @property
    def counts(self):
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, INVALID), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def is_valid(self):
        return bool(self.rows) and not any(r.status == INVALID for r in self.rows)

    def report(self, max_rows=500):
        """A JSON-able summary: counts, notices, every row with issues, the first rows of the others."""
        shown, others = [], 0
        for row in self.rows:
            if row.issues or others < max_rows:
                shown.append(_row_report(row))
                if not row.issues:
                    others += 1
        return {
            "counts": self.counts,
            "notices": list(self.notices),
            "skipped_empty_rows": self.skipped_empty_rows,
            "columns": [{"key": c.key, "header": c.header()} for c in self.columns],
            "rows": shown,
            "rows_total": len(self.rows),
        }


def _row_report(row):
    return {
        "number": row.number,
        "status": row.status,
        "cells": {k: display(v) for k, v in row.raw.items()},
        "issues": [i.as_dict() for i in row.issues],
        "changes": row.changes,
        "filing": row.group.filing.pk if row.group and row.group.filing else None,
    }


# --------------------------------------------------------------------------------- analyse


def may_take_states(user):
    return perms.has_perm(user, perms.IMPORT) and perms.has_perm(user, perms.RECORD_BUREAU_DECISION)


def analyse(table: Table, user, *, default_owner=None, take_states=False, progress=None) -> Analysis:
    """Check every row of ``table``; raise ImportRefused for wrong headers. Writes nothing."""
    positions = _check_headers(table)
    take_states = bool(take_states and may_take_states(user))
    present = [c for c in C.COLUMNS if c.key in positions]
    lookup = CodeLookup(users=_users_named(table, positions))
    rows = []
    for number, values in table.rows:
        raw = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        row = Row(number, raw)
        _parse_row(row, present, lookup, take_states)
        rows.append(row)
    analysis = Analysis(rows, [], present, list(table.notices), table.skipped_empty_rows, take_states)
    if take_states:
        analysis.notices.append(_("States are taken from the sheet for new filings (logged)."))
    elif "state" in positions:
        analysis.notices.append(_("The state column is ignored: imported filings start as drafts."))
    existing = _load_existing_filings(rows, user)
    analysis.groups = _group_rows(rows, existing, default_owner, user)
    _find_conflicts_in_file(analysis.groups)
    _find_conflicts_in_database(analysis.groups)
    codes = CodeSnapshot.load()
    for index, group in enumerate(analysis.groups):
        _classify(group, user, codes, take_states)
        if progress and index % 200 == 0:
            progress(sum(len(g.rows) for g in analysis.groups[: index + 1]), len(rows))
    return analysis


def _check_headers(table):
    positions, unknown, duplicates = C.match_headers(table.header)
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(names)s.") % {"names": "、".join(unknown)})
    if duplicates:
        problems.append(_("Columns given twice: %(names)s.") % {"names": "、".join(duplicates)})
    missing = [c.header() for c in C.COLUMNS if c.required and c.key not in positions]
    if missing:
        problems.append(_("Required columns are missing: %(names)s.") % {"names": "、".join(missing)})
    if problems:
        problems.append(_("Use the headers of the template (Chinese or English); download it from the import page."))
        raise ImportRefused(" ".join(problems))
    if not table.rows:
        raise ImportRefused(_("The sheet has headers but no rows to import."))
    return positions


def _users_named(table, positions):
    """The customer accounts the ``customer`` column names, in one query per chunk."""
    index = positions.get("customer")
    if index is None:
        return {}
    names = {str(v[index]).strip() for _n, v in table.rows if index < len(v) and not is_blank(v[index])}
    names = {n for n in names if not has_control_characters(n)}  # refused at the cell; PostgreSQL refuses NUL
    User = get_user_model()
    users = []
    names = sorted(names)
    for start in range(0, len(names), CHUNK):
        part = names[start:start + CHUNK]
        users += list(User.objects.filter(Q(**{f"{User.USERNAME_FIELD}__in": part}) | Q(email__in=part)))
    return user_lookup(users)


def _parse_row(row, present, lookup, take_states):
    for col in present:
        if not (col.importable or (take_states and col.key in ("state", "subject_number", "website_number"))):
            continue
        raw = row.raw.get(col.key)
        if is_blank(raw):
            continue
        try:
            row.values[col.key] = parse_cell(col, raw, lookup)
        except CellError as error:
            row.error(col.key, error.message, error.suggestion)
    _normalize_row(row)


def _normalize_row(row):
    """Canonical values through the rules (R06 certificates, R07 contacts, W01 domains)."""
    v = row.values
    for prefix in ("", "subject_responsible_", "website_responsible_"):
        type_key = f"{prefix}certificate_type" if prefix else "certificate_type"
        number_key = f"{prefix}certificate_number" if prefix else "certificate_number"
        number = v.get(number_key)
        if number and "*" in number:
            continue  # masked: resolved against the stored number when the filing is known
        if number and v.get(type_key) is not None:
            try:
                v[number_key] = normalize_certificate(v[type_key].code, number)
            except ValidationError as error:
                refusal = " ".join(error.messages)
                if not prefix and (getattr(error, "code", "") or "").endswith("checksum"):
                    # decided once the filing is known (_subject_values): a reviewer may have accepted it
                    v[number_key] = normalize_certificate(v[type_key].code, number, allow_bad_checksum=True)
                    row.unchecked[number_key] = refusal
                else:
                    row.error(number_key, refusal, _("Check the number against the certificate."), "R06")
    for prefix in ("subject_responsible_", "website_responsible_"):
        for kind, func in (("mobile", normalize_mobile), ("landline", normalize_landline), ("email", normalize_email)):
            key = prefix + kind
            if v.get(key):
                try:
                    v[key] = func(v[key])
                except ValidationError as error:
                    row.error(key, " ".join(error.messages), "", "R07")
    if v.get("domain"):
        try:
            v["domain"] = normalize_domain(v["domain"])
        except ValidationError as error:
            row.error("domain", " ".join(error.messages), _("Enter the registered domain, e.g. example.com."), "W01")
            v.pop("domain")
    _check_lengths(row)
    for key in ("subject_name", "website_name", "domain", "nature", "certificate_type", "certificate_number", "province"):
        if key not in v and not any(i.column == key for i in row.issues):
            row.error(key, _("%(column)s is required.") % {"column": C.column(key).header()},
                      _("Fill in this cell."))
    if "state" in v:
        _parse_state_numbers(row)


def _check_lengths(row):
    """Text longer than its database column is an error at the cell (the database would refuse it)."""
    for key, value in list(row.values.items()):
        limit = getattr(C.column(key).model_field, "max_length", None) if isinstance(value, str) else None
        if limit and len(value) > limit:
            row.error(key, _("The text is too long: %(length)s characters, at most %(max)s.") % {
                "length": len(value), "max": limit}, _("Shorten the text."))
            del row.values[key]


def _parse_state_numbers(row):
    v = row.values
    if v.get("subject_number"):
        try:
            v["subject_number"] = str(parse_subject_number(v["subject_number"]))
        except ValidationError as error:
            row.error("subject_number", " ".join(error.messages))
    if v.get("website_number"):
        try:
            v["site_number"] = parse_filing_number(v["website_number"]).site_number
        except ValidationError as error:
            row.error("website_number", " ".join(error.messages))
    if v["state"] == FilingState.APPROVED and not v.get("subject_number"):
        row.error("subject_number", _("An approved filing needs its subject filing number."),
                  _("Enter the number issued by the bureau, e.g. 京ICP备17042306号."))


def _load_existing_filings(rows, user):
    """{filing id: Filing} for the IDs in the sheet, with subject, websites, contents and access."""
    ids = sorted({r.values["filing_id"] for r in rows if r.values.get("filing_id")})
    found = {}
    for start in range(0, len(ids), CHUNK):
        qs = (
            Filing.objects.filter(pk__in=ids[start:start + CHUNK])
            .select_related("subject", "subject__certificate_type", "owner", "amends")
            .prefetch_related(
                "websites__service_contents", "websites__pre_approval_categories", "websites__access_records",
            )
        )
        found.update({f.pk: f for f in qs})
    if not perms.has_perm(user, f"{perms.APP}.view_filing"):
        return {}
    return found


def _group_rows(rows, existing, default_owner, user):
    groups = {}
    for row in rows:
        filing_id = row.values.get("filing_id")
        if filing_id:
            filing = existing.get(filing_id)
            if filing is None:
                row.error("filing_id", _("There is no filing with the ID %(id)s.") % {"id": filing_id},
                          _("Leave the filing ID blank to create a new filing."))
                key = ("row", row.number)
            else:
                key = ("filing", filing_id)
        else:
            filing = None
            owner = row.values.get("customer") or default_owner
            if owner is None:
                row.error("customer" if "customer" in row.raw else "", _("The row names no customer."),
                          _("Enter the customer's user name in the customer column, or choose a customer for the import."))
            ctype = row.values.get("certificate_type")
            number = row.values.get("certificate_number")
            if ctype is not None and number and not row.errors:
                key = ("new", getattr(owner, "pk", None), ctype.pk, number)
            else:
                key = ("row", row.number)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, filing=filing)
            group.owner = filing.owner if filing else (row.values.get("customer") or default_owner)
        if filing is not None and row.values.get("customer") and row.values["customer"] != filing.owner:
            row.error("customer", _("The filing belongs to another customer; the import does not move filings."),
                      _("Keep the customer of the export, or leave the cell blank."))
        group.rows.append(row)
        row.group = group
    return list(groups.values())


def _subject_values(row, group):
    """The subject's values named by this row (masked certificate numbers resolved)."""
    values = {}
    stored = group.filing.subject if group.filing else None
    for col in _SUBJECT_COLUMNS:
        if col.key not in row.raw:
            continue
        value = row.values.get(col.key, _blank(col))
        if isinstance(value, str) and "*" in value and "certificate_number" in col.field:
            current = getattr(stored, col.field, "") if stored else ""
            if current and mask_certificate_number(current) == value:
                value = current
            else:
                row.error(col.key, _("A masked certificate number cannot be imported."),
                          _("Enter the full number, or keep the masked value of the export unchanged."), "R06")
        if col.key in row.unchecked:
            accepted = stored is not None and stored.certificate_override and stored.certificate_number == value
            if not accepted:
                row.error(col.key, row.unchecked[col.key], _("Check the number against the certificate."), "R06")
        values[col.field] = value
    return values


def _blank(col):
    if col.type == C.CODES:
        return []
    if col.type in (C.CODE, C.USER, C.DATE, C.INTEGER):
        return None
    if col.type == C.BOOLEAN:
        return col.model_field.default
    if col.type == C.CHOICE:
        return col.model_field.default
    return ""


def _find_conflicts_in_file(groups):
    by_certificate = {}
    by_domain = {}
    for group in groups:
        group.subject = _subject_values(group.first, group)
        for row in group.rows[1:]:
            other = _subject_values(row, group)
            differing = [f for f, value in other.items() if value != group.subject.get(f)]
            for name in differing:
                key = next(c.key for c in _SUBJECT_COLUMNS if c.field == name)
                row.error(key, _("Row %(row)s has different organizer data for the same filing.") % {"row": group.first.number},
                          _("Give every row of one organizer the same organizer columns."))
        cert = (getattr(group.subject.get("certificate_type"), "pk", None), group.subject.get("certificate_number"))
        if all(cert):
            if cert in by_certificate and by_certificate[cert] is not group:
                first = by_certificate[cert].first
                group.first.error("certificate_number",
                                  _("Row %(row)s has the same organizer certificate for another filing or customer.") % {"row": first.number},
                                  _("One organizer is filed once: put its websites in the same filing."), "R08")
            by_certificate.setdefault(cert, group)
        for row in group.rows:
            domain = row.values.get("domain")
            if domain:
                if domain in by_domain:
                    row.error("domain", _("The domain %(domain)s is also in row %(row)s.") % {"domain": domain, "row": by_domain[domain]},
                              _("A domain is filed only once: remove one of the rows."), "W02")
                else:
                    by_domain[domain] = row.number


def _find_conflicts_in_database(groups):
    """R08 and W02 against live filings, in a fixed number of queries."""
    numbers = sorted({g.subject.get("certificate_number") for g in groups if g.subject.get("certificate_number")})
    subjects = defaultdict(list)
    for start in range(0, len(numbers), CHUNK):
        for s in Subject.objects.filter(is_live=True, certificate_number__in=numbers[start:start + CHUNK]).select_related(
            "filing", "filing__amends"
        ):
            subjects[(s.certificate_type_id, s.certificate_number)].append(s)
    domains = sorted({r.values["domain"] for g in groups for r in g.rows if r.values.get("domain")})
    websites = defaultdict(list)
    for start in range(0, len(domains), CHUNK):
        for w in Website.objects.filter(is_live=True, domain__in=domains[start:start + CHUNK]).select_related(
            "filing", "filing__amends"
        ):
            websites[w.domain].append(w)
    for group in groups:
        own = set()
        if group.filing is not None:
            own = {group.filing.pk, group.filing.amends_id}
        cert_type = group.subject.get("certificate_type")
        key = (getattr(cert_type, "pk", None), group.subject.get("certificate_number"))
        for existing in subjects.get(key, []):
            if existing.filing_id not in own:
                problem, suggestion = subject_conflict_message(existing, existing.filing.owner_id == getattr(group.owner, "pk", None))
                group.first.error("certificate_number", problem, suggestion, "R08")
                break
        for row in group.rows:
            for existing in websites.get(row.values.get("domain"), []):
                if existing.filing_id not in own:
                    problem, suggestion = domain_conflict_message(existing)
                    row.error("domain", problem, suggestion, "W02")
                    break


# ------------------------------------------------------------------------------ classify


def _website_values(row):
    values = {}
    for col in _WEBSITE_COLUMNS:
        if col.key in row.raw:
            values[col.field] = row.values.get(col.key, _blank(col))
    if "homepage" in values and not values["homepage"] and row.values.get("domain"):
        values["homepage"] = default_homepage(row.values["domain"])
    return values


def _access_values(row):
    values = {}
    for col in _ACCESS_COLUMNS:
        if col.key in row.raw:
            values[col.field] = row.values.get(col.key, _blank(col))
    if not any(values.values()):
        return None  # blank access columns leave access records alone
    if values.get("method") is None:
        row.error("access_method", _("The access method is missing."), _("Choose the access method, or leave all access columns blank."))
    return values


def _resolve_masked_website_number(row):
    """A masked number from an export stands for the stored one if it masks to the same text."""
    value = row.website_values.get("responsible_certificate_number")
    if not (isinstance(value, str) and "*" in value):
        return
    current = getattr(row.website, "responsible_certificate_number", "") if row.website else ""
    if current and mask_certificate_number(current) == value:
        row.website_values["responsible_certificate_number"] = current
    else:
        row.error("website_responsible_certificate_number", _("A masked certificate number cannot be imported."),
                  _("Enter the full number, or keep the masked value of the export unchanged."), "R06")


def _compare(obj, values):
    changed = []
    for name, value in values.items():
        if name in _M2M:
            current = {o.pk for o in getattr(obj, name).all()}
            if current != {o.pk for o in value}:
                changed.append(name)
            continue
        current = getattr(obj, name)
        if hasattr(value, "pk"):
            differs = getattr(current, "pk", None) != value.pk
        elif isinstance(value, str) or value is None:
            differs = (current or "") != (value or "")
        else:
            differs = current != value
        if differs:
            changed.append(name)
    return changed


def _classify(group, user, codes, take_states):
    filing = group.filing
    websites_by_domain = {w.domain: w for w in filing.websites.all()} if filing else {}
    if filing is not None:
        group.subject_changes = _compare(filing.subject, group.subject) if hasattr(filing, "subject") else list(group.subject)
    for row in group.rows:
        row.website_values = _website_values(row)
        row.access = _access_values(row)
        row.website = websites_by_domain.get(row.values.get("domain"))
        _resolve_masked_website_number(row)
        if row.website is not None:
            row.changes = _compare(row.website, row.website_values)
            current_access = next(iter(row.website.access_records.all()), None)
            if row.access is not None:
                if current_access is None:
                    row.changes.append("access")
                else:
                    row.access_record = current_access
                    if _compare(current_access, row.access):
                        row.changes.append("access")
    if take_states and filing is None:
        group.state = group.first.values.get("state") or FilingState.DRAFT
        group.subject_number = group.first.values.get("subject_number", "")
    changed = filing is not None and (group.subject_changes or any(r.website is None or r.changes for r in group.rows))
    if changed and not filing.can_edit(user):
        group.first.error(
            "filing_id",
            _("Filing %(id)s cannot be changed by the import in its state (%(state)s).") % {"id": filing.pk, "state": filing.get_state_display()},
            _("Approved data changes only through a change (变更); filings at the bureau cannot be edited."), "F01",
        )
    if filing is not None:
        group.first.changes.extend(group.subject_changes)
    _preflight(group, codes)
    for row in group.rows:
        if not group.valid:
            if not row.errors:
                row.error("", _("Another row of the same filing is invalid (row %(row)s).") % {
                    "row": next(r.number for r in group.rows if r.errors)})
            row.status = INVALID
        elif filing is None or row.website is None:
            row.status = NEW if filing is None else UPDATE
        elif row.changes or (row is group.first and group.subject_changes):
            row.status = UPDATE
        else:
            row.status = UNCHANGED


def _preflight(group, codes):
    """The pure pre-flight rules on the merged data; findings are warnings at the cell."""
    if not group.valid:
        return
    filing = group.filing
    stored = getattr(filing, "subject", None) if filing else None
    s = dict(group.subject)

    def subject_value(name, default=""):
        if name in s:
            return s[name]
        return getattr(stored, name, default) if stored is not None else default

    subject = subject_data(subject_value, codes)
    website_rows = []
    for index, row in enumerate(group.rows):
        w, current = row.website_values, row.website

        def value(name, default="", w=w, current=current, row=row):
            if name == "domain":
                return row.values.get("domain", "")
            if name in w:
                return w[name]
            return getattr(current, name, default) if current is not None else default

        def codes_of(name, w=w, current=current):
            if name in w:
                return frozenset(o.code for o in w[name])
            return frozenset(o.code for o in getattr(current, name).all()) if current is not None else frozenset()

        website_rows.append(website_data(index, value, codes_of, codes))
    created = filing.created_at.date() if filing else group.first.values.get("created") or timezone.localdate()
    findings = run_preflight(FilingData(subject=subject, websites=tuple(website_rows), created=created))
    for finding in findings:
        parts = finding.field.split(".")
        if parts[0] == "subject":
            row, key = group.first, _PREFLIGHT_SUBJECT.get(parts[1], parts[1])
        elif parts[0] == "websites" and len(parts) > 2 and parts[1].isdigit():
            row, key = group.rows[int(parts[1])], _PREFLIGHT_WEBSITE.get(parts[2], parts[2])
        else:
            continue  # documents (D01–D04) are uploaded in the admin, not imported
        if key not in C.COLUMNS_BY_KEY:
            key = ""
        row.warning(key, finding.message, finding.suggestion, finding.rule)


# --------------------------------------------------------------------------------- write


@dataclass
class WriteResult:
    created: list
    updated: list
    unchanged: int


def write(analysis: Analysis, user, *, progress=None) -> WriteResult:
    """Write a valid analysis in one transaction (all or nothing); log every created/updated filing."""
    if not analysis.is_valid:
        raise ImportRefused(_("The sheet has invalid rows; nothing was imported."))
    if not perms.has_perm(user, perms.IMPORT):
        raise ImportRefused(_("You may not import filings."))
    now = timezone.now()
    unsaved = _links(analysis)
    try:
        with transaction.atomic():
            _wait_for_other_imports()
            return _write(analysis, user, now, progress)
    except IntegrityError:
        _restore_links(unsaved)
        # Someone else (not an import: those wait above) filed an organizer or domain of the file
        # between our re-check and our insert; that writer has committed, so look again.
        new = _recheck_conflicts(analysis)
        if new:
            raise _filed_meanwhile(analysis, new) from None
        raise ImportRefused(
            _("The database refused the import (an organizer or domain was filed by someone else meanwhile). "
              "Nothing was imported; check the file again.")
        ) from None
    except OperationalError as error:
        _restore_links(unsaved)
        if getattr(error.__cause__, "sqlstate", None) not in _RETRYABLE_SQLSTATES:
            raise  # e.g. the connection was lost: rolled back by the server, the caller reports it
        raise ImportRefused(
            _("The database stopped the import because of a simultaneous conflicting change. "
              "Nothing was imported; import the file again.")
        ) from None


def _links(analysis):
    return [(g, g.filing) for g in analysis.groups], [(r, r.website) for r in analysis.rows]


def _restore_links(links):
    """After a rollback: forget the filings and websites the write created but never committed."""
    for group, filing in links[0]:
        group.filing = filing
    for row, website in links[1]:
        row.website = website


#: deadlock_detected, serialization_failure: the transaction was rolled back and may be retried.
_RETRYABLE_SQLSTATES = {"40P01", "40001"}
#: pg_advisory_xact_lock key shared by all imports ("beian-im" in ASCII).
_IMPORT_LOCK = int.from_bytes(b"beian-im", "big") & 0x7FFF_FFFF_FFFF_FFFF


def _wait_for_other_imports():
    """Let the writes of imports run one after the other (PostgreSQL).

    Two imports checked at the same time would otherwise both pass the in-transaction re-check
    and meet only at the unique indexes, where the loser gets a database error instead of the
    conflict at its row (or a deadlock, when they meet two shared domains in opposite orders).
    The lock is released at commit or rollback; SQLite already serialises every write.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])


def _recheck_conflicts(analysis):
    """R08/W02 again for the rows to write; returns the conflicts found now that were not there before."""
    fresh = [r for r in analysis.rows if r.status in (NEW, UPDATE)]
    seen = {id(r): len(r.issues) for r in fresh}
    _find_conflicts_in_database([g for g in analysis.groups if any(r.status in (NEW, UPDATE) for r in g.rows)])
    return [i for r in fresh for i in r.issues[seen[id(r)]:] if i.severity == ERROR]


def _filed_meanwhile(analysis, issues, shown=10):
    """ImportRefused naming each row whose organizer or domain was filed since the check."""
    rows = {i.row for i in issues}
    for row in analysis.rows:
        if row.number in rows:
            row.status = INVALID
    cells = "; ".join(
        _("row %(row)s [%(column)s] “%(value)s”: %(message)s") % {
            "row": i.row, "column": i.header, "value": i.value, "message": i.message}
        for i in issues[:shown]
    )
    more = _(" (and %(count)s more)") % {"count": len(issues) - shown} if len(issues) > shown else ""
    return ImportRefused(
        _("Filed by someone else since the check; nothing was imported: %(cells)s%(more)s") % {
            "cells": cells, "more": more},
        issues,
    )


def _lock_and_recheck(analysis, user):
    """Lock the filings to update and check again that they may still be changed (F01)."""
    to_update = [g for g in analysis.groups if g.filing is not None and any(r.status == UPDATE for r in g.rows)]
    ids = [g.filing.pk for g in to_update]
    states = {}
    for start in range(0, len(ids), CHUNK):
        locked = Filing.objects.select_for_update().filter(pk__in=ids[start:start + CHUNK]).order_by("pk")
        states.update(locked.values_list("pk", "state"))
    for group in to_update:
        if states.get(group.filing.pk) not in PROVIDER_EDITABLE_STATES or not group.filing.can_edit(user):
            raise ImportRefused(
                _("Filing %(id)s changed state meanwhile and can no longer be edited; nothing was imported.") % {"id": group.filing.pk}
            )
    # R08/W02 again, now inside the transaction: someone may have filed the same meanwhile.
    new = _recheck_conflicts(analysis)
    if new:
        raise _filed_meanwhile(analysis, new)
    return to_update


def _write(analysis, user, now, progress):
    to_update = _lock_and_recheck(analysis, user)
    new_groups = [g for g in analysis.groups if g.filing is None]
    # --- new filings
    filings = []
    for group in new_groups:
        created = group.first.values.get("created")
        state = group.state or FilingState.DRAFT
        filing = Filing(
            owner=group.owner, kind=FilingKind.NEW, state=state,
            created_at=timezone.make_aware(datetime.combine(created, time(9))) if created else now,
            subject_number=group.subject_number if state != FilingState.DRAFT else "",
            approved_at=now if state == FilingState.APPROVED else None,
        )
        filings.append(filing)
    Filing.objects.bulk_create(filings, batch_size=2000)
    subjects = []
    for group, filing in zip(new_groups, filings, strict=True):
        group.filing = filing
        values = {k: v for k, v in group.subject.items()}
        subjects.append(Subject(filing=filing, is_live=filing.state not in TERMINAL_STATES, **values))
    Subject.objects.bulk_create(subjects, batch_size=2000)
    # --- subjects of updated filings
    changed_subjects, subject_fields = [], set()
    for group in to_update:
        if group.subject_changes:
            subject = group.filing.subject
            for name in group.subject_changes:
                setattr(subject, name, group.subject[name])
            subject_fields.update(group.subject_changes)
            changed_subjects.append(subject)
    if changed_subjects:
        Subject.objects.bulk_update(changed_subjects, sorted(subject_fields), batch_size=1000)
    # --- websites
    new_websites, new_rows, changed_websites, website_fields = [], [], [], set()
    next_sort = {}
    for group in analysis.groups:
        if group.filing is not None and group in to_update:
            next_sort[group.filing.pk] = max([w.sort_order for w in group.filing.websites.all()] + [0]) + 1
        for index, row in enumerate(group.rows):
            values = {k: v for k, v in row.website_values.items() if k not in _M2M}
            if row.status == NEW or (row.status == UPDATE and row.website is None):
                values.setdefault("homepage", default_homepage(row.values["domain"]))
                if not values.get("homepage"):
                    values["homepage"] = default_homepage(row.values["domain"])
                sort = next_sort.get(group.filing.pk, 0) + index
                site_number = row.values.get("site_number") if group.state and group.state != FilingState.DRAFT else None
                website = Website(
                    filing=group.filing, sort_order=sort, site_number=site_number,
                    is_live=group.filing.state not in TERMINAL_STATES, **values,
                )
                new_websites.append(website)
                new_rows.append(row)
                row.added = row.status == UPDATE
            elif row.status == UPDATE:
                direct = [n for n in row.changes if n not in _M2M and n != "access"]
                for name in direct:
                    setattr(row.website, name, row.website_values[name])
                if direct:
                    website_fields.update(direct)
                    changed_websites.append(row.website)
    Website.objects.bulk_create(new_websites, batch_size=2000)
    if changed_websites:
        Website.objects.bulk_update(changed_websites, sorted(website_fields), batch_size=1000)
    for row, website in zip(new_rows, new_websites, strict=True):
        row.website = website
    last_sites = {}
    for website in new_websites:
        if website.site_number:
            last_sites[website.filing_id] = max(last_sites.get(website.filing_id, 0), website.site_number)
    # --- many-to-many
    for name in _M2M:
        through = getattr(Website, name).through
        target = f"{getattr(Website, name).field.m2m_reverse_field_name()}_id"
        replaced = [r.website.pk for r in analysis.rows if r.status == UPDATE and r.website.pk and name in r.changes]
        for start in range(0, len(replaced), CHUNK):
            through.objects.filter(website_id__in=replaced[start:start + CHUNK]).delete()
        links = []
        for row in analysis.rows:
            if name in row.website_values and (row.website in new_websites or name in row.changes):
                links += [through(website_id=row.website.pk, **{target: obj.pk}) for obj in row.website_values[name]]
        through.objects.bulk_create(links, batch_size=5000)
    # --- access
    new_access, changed_access, access_fields = [], [], set()
    for row in analysis.rows:
        if row.access is None or row.status not in (NEW, UPDATE):
            continue
        record = getattr(row, "access_record", None)
        if record is None:
            new_access.append(Access(website=row.website, created_at=now, **row.access))
        elif "access" in row.changes:
            for name, value in row.access.items():
                setattr(record, name, value)
            access_fields.update(row.access)
            changed_access.append(record)
    Access.objects.bulk_create(new_access, batch_size=2000)
    if changed_access:
        Access.objects.bulk_update(changed_access, sorted(access_fields), batch_size=1000)
    for filing_id, last in last_sites.items():
        Filing.objects.filter(pk=filing_id).update(last_site_number=last)
    updated = [g.filing for g in to_update]
    for start in range(0, len(updated), CHUNK):
        Filing.objects.filter(pk__in=[f.pk for f in updated[start:start + CHUNK]]).update(updated_at=now)
    _log(analysis, user, now, filings, updated, new_groups)
    if progress:
        progress(len(analysis.rows), len(analysis.rows))
    return WriteResult(created=[f.pk for f in filings], updated=[f.pk for f in updated],
                       unchanged=sum(1 for r in analysis.rows if r.status == UNCHANGED))


def _log(analysis, user, now, created, updated, new_groups):
    """One Wagtail audit-log entry per created or updated filing (and per state taken from the sheet)."""
    content_type = ContentType.objects.get_for_model(Filing)
    batch = uuid.uuid4()
    entries = []

    def entry(filing, action, data):
        label = f"{filing.subject.name} #{filing.pk}" if hasattr(filing, "subject") else f"#{filing.pk}"
        entries.append(ModelLogEntry(
            content_type=content_type, label=label[:255], action=action, data=data, timestamp=now,
            uuid=batch, user=user, object_id=str(filing.pk), content_changed=True,
        ))

    rows_of = defaultdict(list)
    for row in analysis.rows:
        if row.group and row.group.filing is not None:
            rows_of[row.group.filing.pk].append(row)
    for filing in created:
        entry(filing, LOG_CREATE, {"rows": [r.number for r in rows_of[filing.pk]]})
    for filing in updated:
        rows = rows_of[filing.pk]
        group = rows[0].group
        entry(filing, LOG_UPDATE, {
            "rows": [r.number for r in rows],
            "fields": sorted({c for r in rows for c in r.changes}),
            "websites_added": [r.values["domain"] for r in rows if getattr(r, "added", False)],
        })
    for group in new_groups:
        if group.state and group.state != FilingState.DRAFT:
            entry(group.filing, LOG_STATE, {"state": group.state, "subject_number": group.subject_number})
    ModelLogEntry.objects.bulk_create(entries, batch_size=2000)
