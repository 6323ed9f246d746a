"""The empty import template: the sheet's headers, dropdowns for code tables, and an explanation.

Built from :data:`columns.COLUMNS` (the sheet import and export use), so it never drifts:

* sheet 1 (filings): the header row, frozen; required columns in red; a dropdown (list data
  validation) on every code-table, choice and yes/no column. Short lists are written into the
  validation itself; long ones (Excel allows 255 characters there) live in a hidden sheet;
* sheet 2 (column explanations): one row per column with its header, English header, whether it
  is required, its type, its explanation and the allowed values.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from . import columns as C
from .exporting import SHEET_LANGUAGE, sheet_title

#: Rows of the data sheet that get the dropdowns.
VALIDATED_ROWS = 10_000
#: Excel's limit for a list written into the validation itself.
INLINE_LIST_LIMIT = 255
LISTS_SHEET_TITLE = "lists"


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _inline_list(labels):
    joined = ",".join(labels)
    # Counted as Excel versions with double-byte character sets count: a Chinese character is 2.
    width = sum(2 if ord(ch) > 0x7F else 1 for ch in joined) + 2
    if width > INLINE_LIST_LIMIT or any(("," in x or '"' in x) for x in labels):
        return None
    return f'"{joined}"'


def _required_text(col):
    if not col.importable:
        return _("no (written by the export)")
    return _("yes") if col.required else _("no")


def build_template(fileobj):
    """Write the template workbook into ``fileobj``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override(SHEET_LANGUAGE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(sheet_title())
        explanation = workbook.create_sheet(_("Column explanations"))
        lists = workbook.create_sheet(LISTS_SHEET_TITLE)
        lists.sheet_state = "hidden"

        header_fill = PatternFill("solid", fgColor="DDEBF7")
        lists_used = 0
        for index, col in enumerate(C.COLUMNS, start=1):
            letter = _column_letter(index)
            cell = sheet.cell(row=1, column=index, value=col.header(SHEET_LANGUAGE))
            cell.font = Font(bold=True, color="C00000" if col.required else "000000")
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[letter].width = max(12, min(40, len(cell.value) * 2 + 2))
            labels = [label for _code, label in col.code_options()]
            if not labels:
                continue
            formula = _inline_list(labels)
            if formula is None:
                lists_used += 1
                list_letter = _column_letter(lists_used)
                lists.cell(row=1, column=lists_used, value=col.header(SHEET_LANGUAGE))
                for row, label in enumerate(labels, start=2):
                    lists.cell(row=row, column=lists_used, value=label)
                formula = f"'{LISTS_SHEET_TITLE}'!${list_letter}$2:${list_letter}${len(labels) + 1}"
            several = col.type == C.CODES
            validation = DataValidation(
                type="list", formula1=formula, allow_blank=True,
                # Several values go into one cell (one per line): the dropdown offers, never refuses.
                showErrorMessage=not several, errorStyle="stop",
                error=_("Choose a value from the list."), errorTitle=col.header(SHEET_LANGUAGE),
                promptTitle=col.header(SHEET_LANGUAGE)[:32],
                prompt=str(col.help_text)[:255] if col.help_text else None,
                showInputMessage=bool(col.help_text),
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"

        titles = [_("Column"), _("English header"), _("Required"), _("Type"), _("Explanation"), _("Allowed values")]
        explanation.append(titles)
        for cell in explanation[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        for col in C.COLUMNS:
            explanation.append([
                col.header(SHEET_LANGUAGE),
                col.english_header,
                _required_text(col),
                str(C.TYPE_NAMES[col.type]),
                str(col.help_text or ""),
                "、".join(label for _code, label in col.code_options()),
            ])
        for letter, width in zip("ABCDEF", (34, 40, 14, 28, 60, 60)):
            explanation.column_dimensions[letter].width = width
        for row in explanation.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        explanation.freeze_panes = "A2"
    workbook.save(fileobj)


def template_bytes() -> bytes:
    out = io.BytesIO()
    build_template(out)
    return out.getvalue()


def template_filename():
    return "beian-filings-template.xlsx"


__all__ = ["build_template", "template_bytes", "template_filename"]
