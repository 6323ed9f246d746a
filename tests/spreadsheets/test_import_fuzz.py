"""Fuzzing the import (hypothesis): arbitrary cells and arbitrary files never crash it.

* every column's cell parser: any value a spreadsheet reader can hand over (text with any unicode,
  numbers incl. NaN/inf and huge integers, dates, times, durations, booleans, None, formulas,
  huge strings) → a Python value or a ``CellError`` with a message;
* whole rows through :func:`analyse` (a valid row with arbitrary cells replaced): every row is
  classified, every invalid row says why at a cell, the report is JSON; a valid result is written
  (rolled back afterwards) without a database error — on PostgreSQL this checks column lengths;
* :func:`read_table` on random bytes, damaged workbooks and random CSV text → a Table or a
  ``SpreadsheetRefused`` with a message; a Table then goes through :func:`analyse`.
"""

import datetime
import io
import json
import random
import zipfile

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.spreadsheets.sheets import csv_bytes, filing_row, xlsx_bytes
from wagtail_beian.spreadsheets import columns as C
from wagtail_beian.spreadsheets.importing import STATUS_LABELS, ImportRefused, analyse, write
from wagtail_beian.spreadsheets.parsing import CellError, CodeLookup, parse_cell
from wagtail_beian.spreadsheets.reading import FormulaCell, SpreadsheetRefused, Table, read_table

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=150, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

TRICKY = [
    "²", "١٢٣", "１２３", "1e309", "NaN", "-0", "+1", "0x10", "  ", "\x00", "\u200b", "\u202e", "=1+1", "+=1",
    "@SUM(A1)", "'=HYPERLINK()", "-", "是", "否", "√", "京", "北京市", "11", "enterprise", "企业",
    "xn--", "www.例子.中国", "例子。中国", "a" * 300 + ".cn", "1.2.3.4", "10.0.0.1", "::1", "2024-02-30",
    "2024年2月29日", "9999-12-31", "0000-01-01", "ICP备", "京ICP备17042306号-4", "*" * 18, "110105********1234",
    "\r\n", "、、", "，", "customer-a", "CUSTOMER-A@EXAMPLE.COM", "nobody",
]
cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(TRICKY),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.builds(FormulaCell, st.text(max_size=20)),
    st.builds(lambda c, n: c * n, st.sampled_from("长a1.-\n"), st.integers(100, 20_000)),
)


@pytest.fixture
def lookup(customer):
    from django.contrib.auth import get_user_model

    from wagtail_beian.spreadsheets.parsing import user_lookup

    return CodeLookup(users=user_lookup(get_user_model().objects.all()))


def test_every_cell_parser_returns_a_value_or_a_cell_error(lookup):
    @FUZZ
    @given(col=st.sampled_from(C.COLUMNS), raw=cells)
    @example(col=C.column("filing_id"), raw="²")
    @example(col=C.column("filing_id"), raw="9" * 19)
    @example(col=C.column("filing_id"), raw="1" * 4301)
    @example(col=C.column("filing_id"), raw=2**70)
    @example(col=C.column("created"), raw=datetime.time(12, 30))
    @example(col=C.column("ip_addresses"), raw=float("nan"))
    def check(col, raw):
        if col.type == C.FILING_NUMBER:
            return  # computed, export only: never parsed
        try:
            parse_cell(col, raw, lookup)
        except CellError as error:
            assert error.message.strip()

    check()


HEADER = list(filing_row(1))
KEYS = [C.header_lookup()[C.normalize_header(h)].key for h in HEADER]
#: Optional columns the base row leaves out, by English header (each column once).
EXTRA = [c.english_header for c in C.IMPORT_COLUMNS if c.key not in KEYS]


def _table(rows, header):
    return Table("xlsx", list(header), rows=[(n + 2, values) for n, values in enumerate(rows)])


def _check_analysis(analysis):
    assert analysis.rows
    for row in analysis.rows:
        assert row.status in STATUS_LABELS
        if row.status == "invalid":
            assert row.errors and all(i.message.strip() for i in row.errors), row.number
            assert all(i.column in C.COLUMNS_BY_KEY or i.column == "" for i in row.issues)
    json.dumps(analysis.report(), ensure_ascii=False)  # stored in the job's JSON field


def test_rows_with_arbitrary_cells_are_classified_never_crash_and_valid_ones_write(customer, manager):
    header = HEADER + EXTRA
    seen = {"written": 0, "invalid": 0}

    @FUZZ
    @given(
        changes=st.lists(st.dictionaries(st.sampled_from(range(len(header))), cells, max_size=5), min_size=1, max_size=3),
    )
    @example(changes=[{HEADER.index("网站名称"): "站" * 300}])
    @example(changes=[{HEADER.index("主办单位名称"): "公" * 2000}])
    @example(changes=[{len(HEADER): 2**70}])
    @example(changes=[{len(HEADER): "²"}])
    def check(changes):
        rows = []
        for n, change in enumerate(changes):
            base = filing_row(n + 1)
            values = [base.get(h) for h in header]
            for index, value in change.items():
                values[index] = value
            rows.append(values)
        try:
            analysis = analyse(_table(rows, header), manager)
        except ImportRefused as refused:  # only for the file as a whole, e.g. no rows
            assert refused.message
            return
        _check_analysis(analysis)
        seen["written" if analysis.is_valid else "invalid"] += 1
        if analysis.is_valid:
            with transaction.atomic():
                result = write(analysis, manager)
                assert len(result.created) + len(result.updated) >= 1
                transaction.set_rollback(True)

    check()
    assert seen["written"] and seen["invalid"], seen  # both paths were exercised


# ------------------------------------------------------------------------------- files


VALID_XLSX = xlsx_bytes([filing_row(1), filing_row(2)])


def _damaged(data, seed, flips):
    rnd = random.Random(seed)
    buffer = bytearray(data)
    for _ in range(flips):
        buffer[rnd.randrange(len(buffer))] = rnd.randrange(256)
    return bytes(buffer)


def _zip_with(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


files = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=500).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
    st.binary(max_size=500).map(lambda b: b"\xef\xbb\xbf" + b),
    st.binary(max_size=500).map(lambda b: b"\xff\xfe" + b),
    st.builds(_damaged, st.just(VALID_XLSX), st.integers(0, 2**32), st.integers(1, 40)),
    st.builds(lambda b: VALID_XLSX[:b], st.integers(0, len(VALID_XLSX))),
    st.dictionaries(
        st.sampled_from(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
                         "[Content_Types].xml", "xl/sharedStrings.xml", "xl/styles.xml"]),
        st.binary(max_size=300), max_size=6,
    ).map(_zip_with),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.lists(st.lists(st.text(max_size=10), max_size=6), max_size=6).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("gb18030", "replace")),
    st.lists(st.sampled_from([filing_row(1), filing_row(2)]), min_size=1, max_size=3).map(
        lambda rows: _damaged(csv_bytes(rows), 7, 5)),
)


def test_random_bytes_and_damaged_files_are_read_or_refused_never_crash(customer, manager):
    @FUZZ
    @given(data=files)
    @example(data=_damaged(VALID_XLSX, 1, 20))
    @example(data=VALID_XLSX[: len(VALID_XLSX) // 2])
    @example(data=b"")
    @example(data=b"\x00" * 100)
    def check(data):
        try:
            table = read_table(io.BytesIO(data))
        except SpreadsheetRefused as refused:
            assert refused.message.strip()
            return
        try:
            analysis = analyse(table, manager)
        except ImportRefused as refused:
            assert refused.message.strip()
            return
        _check_analysis(analysis)

    check()


# ------------------------------------------------------------- what the fuzzing found, pinned


def _errors(analysis):
    return [(i.row, i.column, i.message) for r in analysis.rows for i in r.errors]


def test_text_longer_than_its_database_column_is_an_error_at_the_cell(customer, manager):
    rows = [filing_row(1, 网站名称="站" * 101), filing_row(2, 主办单位名称="公" * 100)]
    analysis = analyse(read_table(io.BytesIO(xlsx_bytes(rows))), manager)
    errors = _errors(analysis)
    assert [(row, column) for row, column, _m in errors] == [(2, "website_name")]
    assert "101" in errors[0][2] and "100" in errors[0][2]
    assert [r.status for r in analysis.rows] == ["invalid", "new"]


def test_control_characters_and_odd_digits_are_errors_at_the_cell(customer, manager):
    header = HEADER + ["filing ID"]
    base = [filing_row(1).get(h) for h in HEADER]
    rows = [base[:], base[:], base[:]]
    rows[0][HEADER.index("客户")] = "customer-a\x00"  # PostgreSQL refuses NUL even in a query
    rows[1][HEADER.index("主办单位名称")] = "北京\x07科技有限公司"
    rows[2] += ["²"]
    analysis = analyse(_table([r + [None] * (len(header) - len(r)) for r in rows], header), manager)
    assert {(row, column) for row, column, _m in _errors(analysis)} >= {
        (2, "customer"), (3, "subject_name"), (4, "filing_id")}


def test_workbook_with_an_unsupported_zip_feature_is_refused_as_damaged():
    data = bytearray(VALID_XLSX)
    # The worksheet's central directory entry claims it needs zip version 24.0 to extract: zipfile
    # raises NotImplementedError only when the (lazily read) sheet is opened.
    sheet = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46
    assert data[sheet:sheet + 4] == b"PK\x01\x02"
    data[sheet + 6:sheet + 8] = (240).to_bytes(2, "little")
    for blob in (bytes(data), _damaged(VALID_XLSX, 3, 30)):
        with pytest.raises(SpreadsheetRefused) as refused:
            read_table(io.BytesIO(blob))
        assert refused.value.message
