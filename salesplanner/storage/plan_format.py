"""What marks a SQLite file as a plan, and which format of plan this program writes.

Kept apart from :mod:`.plan_file` so that the modules plan_file builds on
(recovery, the expected schema) can read them without importing it back.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of every plan file: "SPln" in ASCII.
APPLICATION_ID = 0x53506C6E
#: ``PRAGMA user_version``: the plan file format this program writes.
SCHEMA_VERSION = 3
