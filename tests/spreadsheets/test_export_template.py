"""The empty import template: headers, dropdowns for code tables, explanation sheet."""

import io

import openpyxl
import pytest

from wagtail_beian.models import OrganizerNature, Province
from wagtail_beian.spreadsheets import columns as C
from wagtail_beian.spreadsheets.template import LISTS_SHEET_TITLE, template_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook():
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def letter_of(key):
    from openpyxl.utils import get_column_letter

    return get_column_letter([c.key for c in C.COLUMNS].index(key) + 1)


def validation_for(sheet, key):
    letter = letter_of(key)
    found = [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]
    assert len(found) == 1, key
    return found[0]


def list_values(workbook, validation):
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_part, cells = formula.split("!")
    assert sheet_part.strip("'") == LISTS_SHEET_TITLE
    sheet = workbook[LISTS_SHEET_TITLE]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


def test_template_has_the_export_headers_and_no_rows(workbook):
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == C.headers("zh-hans")
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"


def test_required_headers_stand_out(workbook):
    sheet = workbook.worksheets[0]
    for col, cell in zip(C.COLUMNS, sheet[1]):
        assert cell.font.b
        assert (cell.font.color.rgb == "00C00000") == col.required, col.key


def test_code_table_columns_have_dropdowns_with_the_current_labels(workbook):
    sheet = workbook.worksheets[0]
    nature = validation_for(sheet, "nature")
    assert nature.type == "list" and nature.showErrorMessage
    assert list_values(workbook, nature) == list(OrganizerNature.objects.filter(is_active=True).values_list("name", flat=True))
    province = validation_for(sheet, "province")
    # 34 provinces do not fit Excel's 255-character inline list: they live in the hidden sheet
    assert not province.formula1.startswith('"')
    assert list_values(workbook, province) == list(Province.objects.filter(is_active=True).values_list("name", flat=True))
    assert workbook[LISTS_SHEET_TITLE].sheet_state == "hidden"
    assert list_values(workbook, validation_for(sheet, "domain_owner_is_organizer")) == ["是", "否"]
    assert "网站" in list_values(workbook, validation_for(sheet, "service_kind"))
    several = validation_for(sheet, "service_contents")
    assert not several.showErrorMessage  # several values per cell: the dropdown suggests, never refuses
    for key in ("subject_name", "domain", "ip_addresses"):
        letter = letter_of(key)
        assert not [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]


def test_every_dropdown_column_is_a_code_or_choice_column(workbook):
    sheet = workbook.worksheets[0]
    expected = {c.key for c in C.COLUMNS if c.code_options()}
    letters = {str(dv.sqref).split("2:")[0] for dv in sheet.data_validations.dataValidation}
    assert letters == {letter_of(k) for k in expected}
    assert {"nature", "certificate_type", "province", "access_method", "state", "service_kind"} <= expected


def test_explanation_sheet_explains_every_column(workbook):
    explanation = workbook.worksheets[1]
    assert explanation.title != LISTS_SHEET_TITLE and explanation.sheet_state == "visible"
    _header, *rows = list(explanation.iter_rows(values_only=True))
    assert len(rows) == len(C.COLUMNS)
    for col, row in zip(C.COLUMNS, rows):
        assert row[0] == col.header("zh-hans")
        assert row[1] == col.english_header
        assert (row[4] or "") == str(col.help_text or "")
    by_key = dict(zip([c.key for c in C.COLUMNS], rows))
    assert "北京" in by_key["province"][5]
    assert by_key["subject_name"][2] != by_key["investor"][2]  # required vs optional is stated


def test_the_template_is_recognised_by_the_import(workbook):
    from wagtail_beian.spreadsheets.importing import ImportRefused, analyse
    from wagtail_beian.spreadsheets.reading import read_table

    table = read_table(io.BytesIO(template_bytes()))
    with pytest.raises(ImportRefused) as refused:
        analyse(table, None)
    message = refused.value.message
    assert "Unknown" not in message and "未知" not in message and "缺少" not in message
