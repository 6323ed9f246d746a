"""Parsing one cell of a column into a Python value, or a :class:`CellError` (message + suggestion).

Code-table values are accepted by label (name) or code (and provinces by abbreviation), dates as
date cells or ISO text. The code tables are loaded once per import into a :class:`CodeLookup`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..rules.network import normalize_ip_list
from . import columns as C
from .cells import unescape_cell
from .reading import FormulaCell

#: Invisible control characters (tab and line breaks are text); PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


class CellError(Exception):
    def __init__(self, message, suggestion=""):
        super().__init__(message)
        self.message = str(message)
        self.suggestion = str(suggestion)


def _key(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


class CodeLookup:
    """Every code table the sheet uses, keyed by normalised code, name (and province abbreviation)."""

    def __init__(self, users=None):
        self.tables = {}
        self.by_pk = {}
        for col in C.COLUMNS:
            if col.code_model and col.code_model not in self.tables:
                model = col.code_class
                qs = model.objects.all()
                if col.code_model == "OrganizerNature":
                    qs = qs.prefetch_related("allowed_certificate_types")
                index = {}
                rows = list(qs)
                for obj in rows:
                    index.setdefault(_key(obj.name), obj)
                for obj in rows:  # codes win over names that happen to look like codes
                    index[_key(obj.code)] = obj
                    for abbreviation in getattr(obj, "all_abbreviations", ()):
                        if abbreviation:
                            index.setdefault(_key(abbreviation), obj)
                self.tables[col.code_model] = index
                self.by_pk[col.code_model] = {obj.pk: obj for obj in rows}
        self.users = users or {}

    def find(self, code_model, text):
        return self.tables[code_model].get(_key(text))

    def options(self, code_model, limit=12):
        names = sorted({obj.name for obj in self.by_pk[code_model].values() if obj.is_active})
        return "、".join(names[:limit]) + ("……" if len(names) > limit else "")


def display(raw) -> str:
    """How a raw cell value is shown back to the user."""
    if raw is None:
        return ""
    if isinstance(raw, datetime.datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if raw.time() != datetime.time() else raw.strftime("%Y-%m-%d")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def has_control_characters(text) -> bool:
    return bool(_CONTROL.search(str(text)))


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw) -> str:
    if isinstance(raw, FormulaCell):
        raise CellError(
            _("Formulas are not accepted (%(formula)s).") % {"formula": raw.formula[:60]},
            _("Replace the formula by its value: copy the cells and paste them as values."),
        )
    if isinstance(raw, bool):
        return C.YES_LABEL if raw else C.NO_LABEL
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return str(Decimal(repr(raw)))
    if isinstance(raw, (datetime.datetime, datetime.date)):
        return display(raw)
    text = str(raw)
    if has_control_characters(text):
        raise CellError(
            _("The cell contains invisible control characters."),
            _("Retype the value, or paste it as plain text."),
        )
    if text.lstrip().startswith("="):
        raise CellError(
            _("Formulas are not accepted (%(formula)s).") % {"formula": text[:60]},
            _("Replace the formula by its value; text that starts with = must be prefixed with an apostrophe (')."),
        )
    return unescape_cell(text).strip()


def parse_cell(col: C.Column, raw, lookup: CodeLookup):
    """The Python value of a non-blank cell for ``col``; raises CellError."""
    if col.type == C.DATE:
        return _date(raw)
    if col.type == C.INTEGER:
        return _integer(raw)
    text = _text(raw)
    if col.type == C.TEXT or col.type == C.FILING_NUMBER:
        return text
    if col.type == C.BOOLEAN:
        word = text.casefold()
        if word in C.TRUE_WORDS:
            return True
        if word in C.FALSE_WORDS:
            return False
        raise CellError(
            _("“%(value)s” is not yes or no.") % {"value": text},
            _("Enter 是 (yes) or 否 (no)."),
        )
    if col.type == C.CODE:
        obj = lookup.find(col.code_model, text)
        if obj is None:
            raise CellError(_unknown_value(col, text), _("Choose one of: %(options)s.") % {
                "options": lookup.options(col.code_model)})
        return obj
    if col.type == C.CODES:
        found = []
        for part in C.split_list(text):
            obj = lookup.find(col.code_model, part)
            if obj is None:
                raise CellError(_unknown_value(col, part), _("Choose from: %(options)s; one per line.") % {
                    "options": lookup.options(col.code_model)})
            if obj not in found:
                found.append(obj)
        return found
    if col.type == C.CHOICE:
        for value, label in col.choices_class.choices:
            if _key(text) in (_key(value), _key(label)):
                return value
        raise CellError(_unknown_value(col, text), _("Choose one of: %(options)s.") % {
            "options": "、".join(str(label) for _v, label in col.choices_class.choices)})
    if col.type == C.IPS:
        try:
            return "\n".join(normalize_ip_list("\n".join(C.split_list(text.replace(" ", "\n")))))
        except ValidationError as error:
            raise CellError(" ".join(error.messages), _("Enter public IP addresses, one per line.")) from None
    if col.type == C.USER:
        user = lookup.users.get(_key(text))
        if user is None:
            raise CellError(
                _("There is no customer account “%(value)s”.") % {"value": text},
                _("Enter the user name or e-mail of an existing customer account, or leave it blank."),
            )
        return user
    raise AssertionError(col.type)  # pragma: no cover


def _unknown_value(col, text):
    return _("“%(value)s” is not a valid %(column)s.") % {"value": text, "column": col.header()}


def _date(raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _text(raw)
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(
        _("“%(value)s” is not a date.") % {"value": text},
        _("Enter the date as YYYY-MM-DD, e.g. 2024-03-01, or use a date cell."),
    )


#: Database integers are 64-bit; a larger number is no ID of ours (and would overflow the query).
_MAX_INTEGER = 2**63 - 1


def _integer(raw):
    if isinstance(raw, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}, _("Enter digits only."))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = _text(raw)
        digits = unicodedata.normalize("NFKC", text)  # full-width ０-９ are digits too; ² or ١ are not
        if not (digits.isascii() and digits.isdigit()):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": text}, _("Enter digits only."))
        if len(digits) > len(str(_MAX_INTEGER)):  # before int(): Python refuses over 4300 digits
            raise CellError(_("“%(value)s…” is too large.") % {"value": digits[:20]}, _("Enter the filing ID of an export."))
        value = int(digits)
    if abs(value) > _MAX_INTEGER:
        raise CellError(_("“%(value)s” is too large.") % {"value": value}, _("Enter the filing ID of an export."))
    return value


def user_lookup(queryset):
    """{normalised user name or e-mail: user} for the USER column, in one query."""
    users = {}
    for user in queryset:
        if user.email:
            users.setdefault(_key(user.email), user)
    for user in queryset:
        users[_key(user.get_username())] = user
    return users
