"""Spreadsheet import and export of filings (issue 6).

``columns`` is the one definition of the sheet (one row per website); ``importing`` reads,
checks and writes it, ``exporting`` writes it, ``template`` produces the empty template.
"""
