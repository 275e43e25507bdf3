"""Importing sales and contact-centre data from CSV and Excel files.

Built in slices: :mod:`.values` (reading dates, money and numbers as people
and exports write them) and :mod:`.card_numbers` (PCI DSS masking) come
first; sources, mapping, validation and the import itself follow.
"""
