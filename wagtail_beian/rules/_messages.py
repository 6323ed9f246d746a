"""One way to raise a rule error: a ValidationError with a code and named params.

Messages are English msgids (translated to zh_Hans later) that say what is wrong and what
to enter instead. Values shown to the user go in ``params`` so the translator never has to
touch them and callers (field-level rejections) can read them back.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError


def fail(message: str, code: str, /, **params) -> ValidationError:
    """Build (not raise) the error, so call sites read ``raise fail(...)``."""
    return ValidationError(message, code=code, params=params or None)


# Dashes people type or paste instead of ASCII "-" (NFKC leaves these alone).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


def fold(value) -> str:
    """NFKC-fold (full-width → half-width, ideographic space → space) and unify dashes."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).translate(_DASHES)


def compact(value, separators: str = " -") -> str:
    """``fold`` and drop all whitespace and the given separator characters."""
    text = fold(value)
    return "".join(ch for ch in text if not ch.isspace() and ch not in separators)
