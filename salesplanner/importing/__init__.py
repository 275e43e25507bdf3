"""Importing sales and contact-centre data from CSV and Excel files.

The stages, one module each:

- :mod:`.reading` opens any source (:mod:`.sources` for delimited text,
  :mod:`.workbooks` for Excel and OpenDocument) as a :class:`.source_table.SourceTable`;
- :mod:`.kinds` holds one record per kind of import, the only list of them;
- :mod:`.fields` matches a file's headers to a kind's fields;
- :mod:`.columns` and :mod:`.values` type the text; :mod:`.convert` applies
  a mapping and the kind's rules, and masks card numbers (:mod:`salesplanner.card_numbers`);
- :mod:`.write` puts the records into the plan, skipping duplicates
  (:mod:`.fingerprints`); :mod:`.run` does it all in one transaction;
- :mod:`.rejects` saves bad rows to fix; :mod:`.history` lists and removes imports.
"""
