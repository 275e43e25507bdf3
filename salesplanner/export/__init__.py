"""Excel workbooks: the plan workbook, reports, and the raw data sheets.

- :mod:`.book` is the workmanship every sheet shares: number formats by
  unit, Excel tables with filter buttons, frozen headers, column widths,
  print setup, workbook properties, text from outside kept as text, live
  formulas with the figure the program expects of each, and the atomic save.
- :mod:`.plan_workbook` lays out the plan workbook (summary, targets,
  performance, trends and product mix, heat map, forecast, measures).
- :mod:`.data_sheet` streams large data sheets straight into the workbook
  file, many times faster than writing them cell by cell.
"""
