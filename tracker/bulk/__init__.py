"""Bulk set-up: import and export a plan's structure and a city's indicator definitions.

Two tidy sheet formats, each as CSV (UTF-8) or XLSX, described column by column in
`plan_sheet.py` and `indicator_sheet.py` and in the Help sheet of the downloadable templates.
An import is parsed, every row validated (all errors kept, by row and column), previewed as a
dry run and saved only when nothing is wrong, all or nothing (`services.py`).
"""
